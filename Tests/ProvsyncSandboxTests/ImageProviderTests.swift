import Foundation
import Testing
@testable import ProvsyncSandbox

/// Image (managed) providers against the sandbox's image catalog (`--images`), as the recorded server treats them.
@Suite("Sandbox image providers")
struct ImageProviderTests {
    static let echo10 = "sha256:" + String(repeating: "1", count: 64)
    static let echo11 = "sha256:" + String(repeating: "2", count: 64)
    static let index = "sha256:" + String(repeating: "3", count: 64)
    static let platform = "sha256:" + String(repeating: "4", count: 64)
    static let other = "sha256:" + String(repeating: "5", count: 64)

    static func card(_ name: String, version: String, variables: [[String: Any]] = []) -> [String: Any] {
        var capabilities: [String: Any] = ["streaming": true]
        if !variables.isEmpty {
            capabilities["extensions"] = [["uri": "https://a2a-extensions.agentstack.beeai.dev/ui/agent-detail/v1",
                                           "params": ["variables": variables]]]
        }
        return ["name": name, "description": "\(name) from an image", "url": "http://localhost:8000/",
                "version": version, "capabilities": capabilities, "defaultInputModes": ["text/plain"],
                "defaultOutputModes": ["text/plain"], "skills": [Any]()]
    }

    static var explicitCard: [String: Any] { card("explicit", version: "5.0.0") }

    static var catalog: [String: Any] { [
        "agents/echo:1.0": ["repository": "agents/echo", "tag": "1.0", "kind": "docker", "digest": echo10,
                            "card": card("echo", version: "1.0.0", variables: [
                                ["name": "API_KEY", "description": "key", "required": true],
                                ["name": "LOG_LEVEL", "description": "level", "required": false],
                            ])],
        "agents/echo:1.1": ["digest": echo11, "card": card("echo", version: "1.1.0", variables: [
            ["name": "API_KEY", "description": "key", "required": true],
            ["name": "REGION", "description": "region", "required": true],
        ])],
        "agents/multi:1.0": ["kind": "index", "digest": index, "platform_manifest_digest": platform,
                             "card": card("multi", version: "3.0.0")],
        "library/foo:latest": ["digest": other, "card": card("foo", version: "1.0.0")],
        "agents/nolabel:1.0": ["digest": other, "card": NSNull(), "label_raw": NSNull()],
        "agents/badlabel:1.0": ["digest": other, "card": NSNull(), "label_raw": "not-base64-json!"],
        "agents/padding:1.0": ["digest": other, "card": NSNull(), "label_raw": "abc"],
    ] }

    static func start() async throws -> SandboxHTTP {
        let images = try JSONSerialization.data(withJSONObject: catalog)
        return try await SandboxHTTP.start(SandboxConfiguration(images: images, manualClock: true))
    }

    static func docker(_ answer: HTTPAnswer) -> [String: Any]? {
        (answer.object["version_info"] as? [String: Any])?["docker"] as? [String: Any]
    }

    static func cardName(_ answer: HTTPAnswer) -> String? {
        (answer.object["agent_card"] as? [String: Any])?["name"] as? String
    }

    static func temporaryFile(_ text: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("images-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: file)
        return file
    }

    @Test("--images reads a JSON catalog file; a broken one is a clear error naming the problem",
          arguments: [
              ("{\"agents/x:1\": ", "is not JSON"),
              ("[]", "expected a JSON object from \"repository:tag\""),
              ("{\"agents/x\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"card\": null}}",
               "the key must be \"repository:tag\""),
              ("{\"agents/x:1\": {\"digest\": \"latest\", \"card\": null}}", "\"digest\" must be a digest"),
              ("{\"agents/x:1\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"card\": 3}}",
               "\"card\" must be an object or null"),
              ("{\"agents/x:1\": {\"digest\": \"sha256:\(String(repeating: "a", count: 64))\", \"tag\": \"2\"}}",
               "\"tag\" must be 1 as in the key"),
          ])
    func brokenImagesFile(text: String, message: String) async throws {
        let file = try Self.temporaryFile(text)
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            let server = try await SandboxServer.start(SandboxConfiguration(imagesFile: file.path))
            await server.stop()
            Issue.record("a broken images file was accepted")
        } catch let error as SandboxError {
            #expect(error.description.contains(file.path), "\(error)")
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test("--images from a file: listed images resolve, others do not exist; a missing file is an error")
    func imagesFile() async throws {
        let file = try Self.temporaryFile(String(decoding: try JSONSerialization.data(withJSONObject: Self.catalog),
                                                 as: UTF8.self))
        defer { try? FileManager.default.removeItem(at: file) }
        let sandbox = try await SandboxHTTP.start(SandboxConfiguration(imagesFile: file.path, manualClock: true))
        defer { Task { await sandbox.stop() } }
        #expect(try await sandbox.call("POST", "/api/v1/providers", json: ["location": "foo"]).status == 200)
        #expect(try await sandbox.call("POST", "/api/v1/providers", json: ["location": "ghcr.io/acme/a:1"]).status == 404)
        await #expect(throws: SandboxError.self) {
            try await SandboxServer.start(SandboxConfiguration(imagesFile: file.path + ".missing"))
        }
    }

    @Test("without --images every image exists with the built-in or a default card")
    func openImageWorld() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let any = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "ghcr.io/acme/a:1"])
        #expect(any.status == 200)
        #expect(Self.docker(any)?["digest"] as? String == ImageCatalog.placeholderDigest("ghcr.io/acme/a:1"))
        let research = try await sandbox.call("POST", "/api/v1/providers",
                                              json: ["location": "ghcr.io/acme/research-agent:9.9.9"])
        #expect(Self.cardName(research) == "Research")
    }

    @Test("an image provider is managed: origin, version_info from the catalog, state missing, env from the label card")
    func fields() async throws {
        let sandbox = try await Self.start()
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "registry.test:5000/agents/echo:1.0"])
        #expect(created.status == 200)
        #expect(created.object["id"] as? String == ProviderID.uuid(of: "registry.test:5000/agents/echo:1.0"))
        #expect(created.object["type"] as? String == "managed")
        #expect(created.object["managed"] as? Bool == true)
        #expect(created.object["state"] as? String == "missing")
        #expect(created.object["origin"] as? String == "registry.test:5000/agents/echo")
        #expect((created.object["version_info"] as? [String: Any])?["github"] is NSNull)
        let docker = try #require(Self.docker(created))
        #expect(docker["registry"] as? String == "registry.test:5000")
        #expect(docker["repository"] as? String == "agents/echo")
        #expect(docker["tag"] as? String == "1.0")
        #expect(docker["digest"] as? String == Self.echo10)
        #expect(docker["image_id"] as? String == "registry.test:5000/agents/echo:1.0@\(Self.echo10)")
        #expect((created.object["env"] as? [[String: Any]])?.map { $0["name"] as? String } == ["API_KEY", "LOG_LEVEL"])
        #expect((created.object["missing_configuration"] as? [[String: Any]])?.map { $0["name"] as? String } == ["API_KEY"])
        #expect((created.object["agent_card"] as? [String: Any])?["url"] as? String == "http://localhost:8000/")
        let id = try #require(created.object["id"] as? String)
        let read = try await sandbox.call("GET", "/api/v1/providers/\(id)")
        #expect(((read.object["agent_card"] as? [String: Any])?["url"] as? String)?.hasSuffix("/api/v1/a2a/\(id)/") == true)

        let short = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "foo"])
        #expect(short.object["source"] as? String == "docker.io/library/foo:latest")
        #expect(Self.docker(short)?["image_id"] as? String == "docker.io/library/foo:latest@\(Self.other)")
        let pinned = try await sandbox.call("POST", "/api/v1/providers",
                                            json: ["location": "ghcr.io/agents/echo:1.1", "origin": "team/echo"])
        #expect(pinned.object["origin"] as? String == "team/echo")
        #expect(Self.docker(pinned)?["digest"] as? String == Self.echo11, "every registry name serves the catalog")
        let byDigest = try await sandbox.call("POST", "/api/v1/providers",
                                              json: ["location": "registry.test:5000/agents/multi:1.0@\(Self.platform)"])
        #expect(Self.docker(byDigest)?["digest"] as? String == Self.platform, "a manifest of an index is found by digest")
        let indexed = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "index.docker.io/agents/multi:1.0"])
        #expect(Self.docker(indexed)?["digest"] as? String == Self.index)
        #expect(indexed.object["id"] as? String == ProviderID.uuid(of: "index.docker.io/agents/multi:1.0"))
    }

    @Test("a location that does not resolve: POST and preview 404, PATCH 400, in the recorded server's words",
          arguments: [
              ("registry.test:5000/agents/echo:9.9", "registry.test:5000/agents/echo:9.9",
               #"Failed to get manifest: 404, {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"9.9"}}]}"# + "\n"),
              ("nosuch", "docker.io/library/nosuch:latest",
               #"Failed to get manifest: 404, {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"latest"}}]}"# + "\n"),
              ("registry.test:5000/agents/echo:1.0@\(ImageProviderTests.other)",
               "registry.test:5000/agents/echo:1.0@\(ImageProviderTests.other)",
               #"Failed to get manifest: 404, {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Name":"agents/echo","Revision":"\#(ImageProviderTests.other)"}}]}"# + "\n"),
              ("registry.test:5000/agents/echo@\(ImageProviderTests.echo10)",
               "registry.test:5000/agents/echo@\(ImageProviderTests.echo10)",
               "Failed to get manifest: 404, 404 page not found\n"),
              ("FOO", "docker.io/library/FOO:latest", "Failed to get manifest: 404, 404 page not found\n"),
              ("registry.test:5000/Agents/Echo:1.0", "registry.test:5000/Agents/Echo:1.0",
               "Failed to get manifest: 404, 404 page not found\n"),
              ("localhost:5000/x", "docker.io/library/localhost:5000/x", "Failed to get manifest: 404, 404 page not found\n"),
              ("Registry.Test:5000/Agents/Echo:1.0", "Registry.Test:5000/Agents/Echo:1.0",
               "Image registry does not exist or is not accessible: https://Registry.Test:5000/v2/Agents/Echo/manifests/1.0"),
          ])
    func unresolved(location: String, source: String, reason: String) async throws {
        let sandbox = try await Self.start()
        defer { Task { await sandbox.stop() } }
        let detail = "Failed to resolve version for '\(source)': \(reason)"
        let created = try await sandbox.call("POST", "/api/v1/providers", json: ["location": location])
        #expect(created.status == 404)
        #expect(created.detail == detail)
        let previewed = try await sandbox.call("POST", "/api/v1/providers/preview", json: ["location": location])
        #expect(previewed.status == 404)
        #expect(previewed.detail == detail)
        let withCard = try await sandbox.call("POST", "/api/v1/providers",
                                              json: ["location": location, "agent_card": Self.explicitCard])
        #expect(withCard.status == 404, "an explicit card skips the label, not the resolution")
        let existing = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "registry.test:5000/agents/echo:1.1"])
        let id = try #require(existing.object["id"] as? String)
        let patched = try await sandbox.call("PATCH", "/api/v1/providers/\(id)", json: ["location": location])
        #expect(patched.status == 400)
        #expect(patched.detail == detail)
    }

    @Test("an image without the card label, or with one that is not base64, is a 400 unless a card is sent")
    func labels() async throws {
        let sandbox = try await Self.start()
        defer { Task { await sandbox.stop() } }
        let noLabel = "registry.test:5000/agents/nolabel:1.0"
        let missing = "Docker image labels must contain 'beeai.dev.agent.json': \(noLabel)"
        let created = try await sandbox.call("POST", "/api/v1/providers", json: ["location": noLabel])
        #expect(created.status == 400)
        #expect(created.detail == missing)
        let previewed = try await sandbox.call("POST", "/api/v1/providers/preview", json: ["location": noLabel])
        #expect(previewed.status == 400)
        #expect(previewed.detail == missing)
        let bad = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "registry.test:5000/agents/badlabel:1.0"])
        #expect(bad.status == 400)
        #expect(bad.detail == "Invalid base64-encoded string: number of data characters (13) cannot be 1 more than a multiple of 4")
        let padding = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "registry.test:5000/agents/padding:1.0"])
        #expect(padding.detail == "Incorrect padding")

        let explicit = try await sandbox.call("POST", "/api/v1/providers",
                                              json: ["location": noLabel, "agent_card": Self.explicitCard])
        #expect(explicit.status == 200)
        #expect(Self.cardName(explicit) == "explicit")
        let echo = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "registry.test:5000/agents/echo:1.0"])
        let id = try #require(echo.object["id"] as? String)
        let patched = try await sandbox.call("PATCH", "/api/v1/providers/\(id)", json: ["location": noLabel])
        #expect(patched.status == 400, "resolved before the taken check: the label error wins over the 500")
        #expect(patched.detail == missing)
    }

    @Test("Python's base64 decoding: skipped characters, pads, and CPython's error texts",
          arguments: [
              ("YQ==", "a", nil), ("YWJj\nZGVm", "abcdef", nil), ("YQ=x=", "a\u{0c}", nil),
              ("abc", nil, "Incorrect padding"), ("ab=c", nil, "Incorrect padding"),
              ("abcde", nil, "Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4"),
              ("é", nil, "string argument should contain only ASCII characters"),
          ] as [(String, String?, String?)])
    func pythonBase64(text: String, decoded: String?, error: String?) {
        switch PythonBase64.decode(text) {
        case .success(let bytes): #expect(String(decoding: bytes, as: UTF8.self) == decoded && error == nil)
        case .failure(let failure): #expect(failure.message == error && decoded == nil)
        }
    }

    @Test("by-location finds an image provider only under its normalised spelling; origin= matches registry/repository")
    func byLocation() async throws {
        let sandbox = try await Self.start()
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "foo"])
        let id = try #require(created.object["id"] as? String)
        let full = try await sandbox.call("GET", "/api/v1/providers/by-location/docker.io/library/foo:latest")
        #expect(full.object["id"] as? String == id)
        let encoded = try await sandbox.call("GET", "/api/v1/providers/by-location/docker.io%2Flibrary%2Ffoo%3Alatest")
        #expect(encoded.object["id"] as? String == id)
        for spelling in ["foo", "foo:latest", "docker.io/library/foo"] {
            let short = try await sandbox.call("GET", "/api/v1/providers/by-location/\(spelling)")
            #expect(short.status == 404)
            #expect(short.detail == "Provider with ID: None not found")
        }
        let duplicate = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "docker.io/library/foo"])
        #expect(duplicate.detail == "Duplicate provider found: source='docker.io/library/foo:latest' already exists")
        let listed = try await sandbox.call("GET", "/api/v1/providers?origin=docker.io/library/foo")
        #expect(listed.object["total_count"] as? Int == 1)
        let tagged = try await sandbox.call("GET", "/api/v1/providers?origin=docker.io/library/foo:latest")
        #expect(tagged.object["total_count"] as? Int == 0)
    }

    @Test("PATCH of an image location keeps the id, reloads the label card, follows with version_info, keeps variables")
    func patchLocation() async throws {
        let sandbox = try await Self.start()
        defer { Task { await sandbox.stop() } }
        let first = "registry.test:5000/agents/echo:1.0"
        let created = try await sandbox.call("POST", "/api/v1/providers", json: [
            "location": first, "agent_card": Self.explicitCard, "origin": "team/pinned", "variables": ["API_KEY": "k"],
        ])
        let id = try #require(created.object["id"] as? String)
        _ = try await sandbox.call("POST", "/_sandbox/clock", json: ["advance_seconds": 1])
        let moved = try await sandbox.call("PATCH", "/api/v1/providers/\(id)", json: ["location": "registry.test:5000/agents/echo:1.1"])
        #expect(moved.status == 200)
        #expect(moved.object["id"] as? String == id)
        #expect(Self.cardName(moved) == "echo", "the label card replaces the explicit one")
        #expect(moved.object["origin"] as? String == "registry.test:5000/agents/echo")
        #expect(Self.docker(moved)?["tag"] as? String == "1.1")
        #expect(Self.docker(moved)?["digest"] as? String == Self.echo11)
        #expect((moved.object["missing_configuration"] as? [[String: Any]])?.map { $0["name"] as? String } == ["REGION"])
        let variables = try await sandbox.call("GET", "/api/v1/providers/\(id)/variables")
        #expect(variables.object["variables"] as? [String: String] == ["API_KEY": "k"])
        #expect(try await sandbox.call("GET", "/api/v1/providers/by-location/\(first)").status == 404)
        #expect(try await sandbox.call("POST", "/api/v1/providers", json: ["location": first]).status == 400,
                "the old location's id is still taken")

        _ = try await sandbox.call("POST", "/_sandbox/clock", json: ["advance_seconds": 1])
        let again = try await sandbox.call("PATCH", "/api/v1/providers/\(id)", json: ["location": "registry.test:5000/agents/echo:1.1"])
        #expect(again.status == 200)
        #expect(again.object["updated_at"] as? String == moved.object["updated_at"] as? String, "the same location is a no-op")

        let explicit = try await sandbox.call("PATCH", "/api/v1/providers/\(id)",
                                              json: ["location": first, "agent_card": Self.explicitCard])
        #expect(Self.cardName(explicit) == "explicit")
        #expect(Self.docker(explicit)?["digest"] as? String == Self.echo10)

        let other = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "foo"])
        #expect(other.status == 200)
        let taken = try await sandbox.call("PATCH", "/api/v1/providers/\(id)", json: ["location": "docker.io/library/foo:latest"])
        #expect(taken.status == 500)
        #expect(taken.headers["content-type"]?.hasPrefix("text/plain") == true)
        #expect(String(decoding: taken.body, as: UTF8.self) == "Internal Server Error")
    }

    @Test("PATCH image to URL makes the provider unmanaged with the same id; back to an image reloads the label card")
    func imageToURLAndBack() async throws {
        let sandbox = try await Self.start()
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "registry.test:5000/agents/echo:1.0"])
        let id = try #require(created.object["id"] as? String)
        let network = try await sandbox.call("PATCH", "/api/v1/providers/\(id)", json: ["location": "http://agent-a.test:18601/"])
        #expect(network.status == 200)
        #expect(network.object["id"] as? String == id)
        #expect(network.object["type"] as? String == "unmanaged")
        #expect(network.object["managed"] as? Bool == false)
        #expect(network.object["state"] as? String == "offline")
        #expect(Self.docker(network) == nil)
        #expect((network.object["version_info"] as? [String: Any])?["docker"] is NSNull)
        let back = try await sandbox.call("PATCH", "/api/v1/providers/\(id)", json: ["location": "registry.test:5000/agents/echo:1.1"])
        #expect(back.object["id"] as? String == id)
        #expect(back.object["type"] as? String == "managed")
        #expect(back.object["state"] as? String == "missing")
        #expect(Self.cardName(back) == "echo")
        #expect((back.object["agent_card"] as? [String: Any])?["version"] as? String == "1.1.0")
        #expect(Self.docker(back)?["digest"] as? String == Self.echo11)
    }

    @Test("the background probe leaves image providers alone: pinned origin, explicit card and updated_at stay")
    func noProbeRewrite() async throws {
        let sandbox = try await Self.start()
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/api/v1/providers", json: [
            "location": "registry.test:5000/agents/echo:1.0", "origin": "team/pinned", "agent_card": Self.explicitCard,
        ])
        let id = try #require(created.object["id"] as? String)
        for _ in 0..<3 {
            _ = try await sandbox.call("POST", "/_sandbox/clock", json: ["advance_seconds": 5])
            let read = try await sandbox.call("GET", "/api/v1/providers/\(id)")
            #expect(read.object["origin"] as? String == "team/pinned")
            #expect(Self.cardName(read) == "explicit")
            #expect(read.object["updated_at"] as? String == created.object["updated_at"] as? String)
            #expect(read.object["state"] as? String == "missing")
        }
    }
}
