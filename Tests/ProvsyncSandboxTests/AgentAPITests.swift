import Foundation
import Testing
@testable import ProvsyncSandbox

@Suite("Sandbox agent API")
struct AgentAPITests {
    @Test("ids are the UUID of sha256(normalised location); locations and origins are normalised",
          arguments: [
              ("foo", "docker.io/library/foo:latest", "docker.io/library/foo", "1a68c8be-6b8e-255e-1767-73234fb9eae6"),
              ("ghcr.io/acme/research-agent:1.2.0", "ghcr.io/acme/research-agent:1.2.0", "ghcr.io/acme/research-agent",
               "0ddcd5be-ef20-f331-7695-76fe5f8bbf7d"),
              ("https://agents.example.com", "https://agents.example.com/", "https://agents.example.com/",
               "6aaec9ea-d577-aafb-0fd0-371a7c9e6f5a"),
          ])
    func identity(location: String, source: String, origin: String, id: String) async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/api/v1/providers", json: ["location": location])
        #expect(created.status == 200)
        #expect(created.object["id"] as? String == id)
        #expect(created.object["source"] as? String == source)
        #expect(created.object["origin"] as? String == origin)
        #expect(created.object["auto_stop_timeout"] as? String == "PT20M")
        let duplicate = try await sandbox.call("POST", "/api/v1/providers", json: ["location": source])
        #expect(duplicate.status == 400)
    }

    @Test("PATCH keeps omitted fields, recomputes a null origin, replaces variables, and a no-op keeps updated_at")
    func patchSemantics() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/api/v1/providers", json: [
            "location": "ghcr.io/acme/a:1.0.0", "origin": "acme-a", "auto_stop_timeout_sec": 600,
            "variables": ["A": "1", "B": "2"],
        ])
        let id = try #require(created.object["id"] as? String)
        #expect(created.object["origin"] as? String == "acme-a")
        let updatedAt = created.object["updated_at"] as? String

        let same = try await sandbox.call("PATCH", "/api/v1/providers/\(id)", json: ["origin": "acme-a"])
        #expect(same.status == 200)
        #expect(same.object["updated_at"] as? String == updatedAt)

        let moved = try await sandbox.call("PATCH", "/api/v1/providers/\(id)", json: [
            "location": "ghcr.io/acme/a:2.0.0", "variables": ["C": "3"],
        ])
        #expect(moved.object["id"] as? String == id, "a PATCH of the location keeps the id")
        #expect(moved.object["source"] as? String == "ghcr.io/acme/a:2.0.0")
        #expect(moved.object["origin"] as? String == "ghcr.io/acme/a", "an omitted origin is recomputed")
        #expect(moved.object["auto_stop_timeout"] as? String == "PT10M", "an omitted field keeps its value")
        #expect(moved.object["variables"] == nil, "variables never appear in provider responses")
        let variables = try await sandbox.call("GET", "/api/v1/providers/\(id)/variables")
        #expect(variables.object["variables"] as? [String: String] == ["C": "3"])

        let cleared = try await sandbox.call("PATCH", "/api/v1/providers/\(id)", json: ["variables": [String: String]()])
        #expect(cleared.status == 200)
        let none = try await sandbox.call("GET", "/api/v1/providers/\(id)/variables")
        #expect(none.object["variables"] as? [String: String] == [:])
    }

    @Test("PUT variables merges, null deletes, and more than 100 is a 422")
    func variables() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/api/v1/providers",
                                             json: ["location": "acme/v", "variables": ["A": "1", "B": "2"]])
        let id = try #require(created.object["id"] as? String)
        let put = try await sandbox.call("PUT", "/api/v1/providers/\(id)/variables",
                                         json: ["variables": ["B": NSNull(), "C": "3"]])
        #expect(put.status == 201)
        let read = try await sandbox.call("GET", "/api/v1/providers/\(id)/variables")
        #expect(read.object["variables"] as? [String: String] == ["A": "1", "C": "3"])
        var many: [String: String] = [:]
        for index in 0...100 { many["V\(index)"] = "x" }
        let tooMany = try await sandbox.call("PUT", "/api/v1/providers/\(id)/variables", json: ["variables": many])
        #expect(tooMany.status == 422)
    }

    @Test("cards get defaults and nulls, keep empty fields; GET and list rewrite the proxied fields, POST does not")
    func cards() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/api/v1/providers", json: [
            "location": "acme/card",
            "agent_card": ["name": "Card", "description": "", "skills": [Any](), "url": "https://agent.example/",
                           "version": "1.0.0", "capabilities": [String: Any](), "defaultInputModes": ["text/plain"],
                           "defaultOutputModes": ["text/plain"], "unknown": 1],
        ])
        #expect(created.status == 200)
        let stored = try #require(created.object["agent_card"] as? [String: Any])
        #expect(stored["protocolVersion"] as? String == "0.3.0")
        #expect(stored["preferredTransport"] as? String == "JSONRPC")
        #expect(stored["description"] as? String == "" && (stored["skills"] as? [Any])?.isEmpty == true)
        #expect(stored["iconUrl"] is NSNull && stored["additionalInterfaces"] is NSNull && stored["unknown"] == nil)
        #expect((stored["capabilities"] as? [String: Any])?.count == 4)
        #expect(stored["url"] as? String == "https://agent.example/")
        let id = try #require(created.object["id"] as? String)
        let read = try await sandbox.call("GET", "/api/v1/providers/\(id)")
        let proxied = try #require(read.object["agent_card"] as? [String: Any])
        #expect((proxied["url"] as? String)?.hasSuffix("/api/v1/a2a/\(id)/") == true)
        #expect((proxied["additionalInterfaces"] as? [Any])?.count == 2)
        let list = try await sandbox.call("GET", "/api/v1/providers")
        let item = try #require((list.object["items"] as? [[String: Any]])?.first)
        #expect(((item["agent_card"] as? [String: Any])?["url"] as? String)?.contains("/a2a/") == true)
        #expect(list.object["total_count"] as? Int == 1)
        #expect(list.object["has_more"] as? Bool == false)
        #expect(list.object["next_page_token"] as? String == id)
        let missing = try await sandbox.call("POST", "/api/v1/providers",
                                             json: ["location": "acme/bad", "agent_card": ["name": "x"]])
        #expect(missing.status == 422)
    }

    @Test("with agent cards configured, unlisted agents are unreachable and the probe follows stopped agents")
    func agentNetwork() async throws {
        let cards = #"{"http://agent-a.test:18601/": {"name": "a", "description": "d", "url": "http://agent-a.test:18601/", "version": "1", "capabilities": {}, "defaultInputModes": [], "defaultOutputModes": [], "skills": []}}"#
        let sandbox = try await SandboxHTTP.start(SandboxConfiguration(agentCards: Data(cards.utf8)))
        defer { Task { await sandbox.stop() } }
        let unreachable = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "http://agent-b.test:1/"])
        #expect(unreachable.status == 400)
        let image = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "nope"])
        #expect(image.detail == "Failed to resolve version for 'docker.io/library/nope:latest': All connection attempts failed")
        let created = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "http://AGENT-A.test:18601"])
        let id = try #require(created.object["id"] as? String)
        #expect(created.object["state"] as? String == "offline")
        _ = try await sandbox.call("POST", "/_sandbox/clock", json: ["advance_seconds": 5])
        #expect(try await sandbox.call("GET", "/api/v1/providers/\(id)").object["state"] as? String == "online")
        let found = try await sandbox.call("GET", "/api/v1/providers/by-location/http%3A%2F%2Fagent-a.test%3A18601")
        #expect(found.object["id"] as? String == id)
        _ = try await sandbox.call("POST", "/_sandbox/agents", json: ["url": "http://agent-a.test:18601/", "online": false])
        _ = try await sandbox.call("POST", "/_sandbox/clock", json: ["advance_seconds": 5])
        #expect(try await sandbox.call("GET", "/api/v1/providers/\(id)").object["state"] as? String == "offline")
    }

    @Test("a provider moved to another location keeps its id: the old location reads as free, yet a create there is a duplicate")
    func movedProviderKeepsId() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "http://agent-a.test:18601/"])
        let id = try #require(created.object["id"] as? String)
        let moved = try await sandbox.call("PATCH", "/api/v1/providers/\(id)", json: ["location": "http://agent-b.test:18602/"])
        #expect(moved.status == 200)
        #expect(moved.object["id"] as? String == id)
        let old = try await sandbox.call("GET", "/api/v1/providers/by-location/http%3A%2F%2Fagent-a.test%3A18601%2F")
        #expect(old.status == 404)
        #expect(old.detail == "Provider with ID: None not found")
        let new = try await sandbox.call("GET", "/api/v1/providers/by-location/http%3A%2F%2Fagent-b.test%3A18602%2F")
        #expect(new.object["id"] as? String == id)
        let again = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "http://agent-a.test:18601/"])
        #expect(again.status == 400)
        #expect(again.detail == "Duplicate provider found: source='http://agent-a.test:18601/' already exists")
    }

    @Test("without a card the server takes the image's card; required variables show as missing configuration")
    func imageCard() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "ghcr.io/acme/research-agent:1.2.0"])
        #expect((created.object["agent_card"] as? [String: Any])?["name"] as? String == "Research")
        let missing = created.object["missing_configuration"] as? [[String: Any]]
        #expect(missing?.map { $0["name"] as? String } == ["OPENAI_API_KEY"])
    }

    @Test("preview answers the provider as it would be and stores nothing")
    func preview() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let preview = try await sandbox.call("POST", "/api/v1/providers/preview", json: ["location": "acme/p"])
        #expect(preview.status == 200)
        #expect(preview.object["source"] as? String == "docker.io/acme/p:latest")
        let list = try await sandbox.call("GET", "/api/v1/providers")
        #expect(list.object["total_count"] as? Int == 0)
        let writes = try await sandbox.call("GET", "/_sandbox/writes")
        #expect(writes.object["total_applied"] as? Int == 0)
    }

    @Test("the origin filter and 422 bodies on the agent API")
    func filtersAndValidation() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        _ = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/one:1"])
        _ = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/two:1"])
        let filtered = try await sandbox.call("GET", "/api/v1/providers?origin=docker.io/acme/two")
        #expect((filtered.object["items"] as? [[String: Any]])?.map { $0["source"] as? String } == ["docker.io/acme/two:1"])
        let badTimeout = try await sandbox.call("POST", "/api/v1/providers",
                                                json: ["location": "acme/three", "auto_stop_timeout_sec": 0])
        #expect(badTimeout.status == 422)
        #expect(badTimeout.firstIssue["type"] as? String == "greater_than")
        #expect(badTimeout.firstIssue["loc"] as? [String] == ["body", "auto_stop_timeout_sec"])
        let noLocation = try await sandbox.call("POST", "/api/v1/providers", json: ["origin": "x"])
        #expect(noLocation.firstIssue["type"] as? String == "missing")
    }

    @Test("providers synced from a registry refuse PATCH with a 500")
    func registryProviders() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/reg"])
        let id = try #require(created.object["id"] as? String)
        var state = try await sandbox.call("GET", "/_sandbox/state").object
        var providers = state["providers"] as? [String: [String: Any]] ?? [:]
        providers[id]?["registry"] = "https://registry.example/agents.yaml"
        state["providers"] = providers
        #expect(try await sandbox.call("PUT", "/_sandbox/state", json: state).status == 200)
        let patch = try await sandbox.call("PATCH", "/api/v1/providers/\(id)", json: ["auto_stop_timeout_sec": 60])
        #expect(patch.status == 500)
    }
}
