import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import ProvsyncSandbox

@Suite("Sandbox security: admin auth, request limits, fault rules and state files")
struct SandboxSecurityTests {
    static let secret = "hunter2-secret"
    static let adminRoutes = [
        ("GET", "health"), ("POST", "reset"), ("GET", "state"), ("PUT", "state"), ("GET", "writes"),
        ("GET", "requests"), ("DELETE", "requests"), ("POST", "clock"), ("POST", "agents"), ("GET", "faults"),
        ("PUT", "faults"), ("POST", "publish"),
    ]

    /// A sandbox with a token and one installation whose config holds `secret`.
    private static func startWithSecret() async throws -> SandboxHTTP {
        let sandbox = try await SandboxHTTP.start(SandboxConfiguration(token: "t0ken"))
        let installed = try await sandbox.call("POST", "/providers/install", json: [
            "provider_name": "acme/redis", "config": ["DB_PASSWORD": secret],
        ], authorization: "Bearer t0ken")
        #expect(installed.status == 201)
        return sandbox
    }

    @Test("with a token every admin route wants it as a bearer token: 401 otherwise, and nothing changes")
    func adminNeedsToken() async throws {
        let sandbox = try await Self.startWithSecret()
        defer { Task { await sandbox.stop() } }
        let basic = "Basic " + Data("admin:t0ken".utf8).base64EncodedString()
        for (method, name) in Self.adminRoutes {
            let anonymous = try await RawHTTP.request(method, "/_sandbox/\(name)", to: sandbox.server.url)
            #expect(anonymous.status == 401, "\(method) \(name)")
            #expect(anonymous.body.contains(#""detail""#), "\(method) \(name)")
            for wrong in ["Bearer nope", "Bearer t0ken2", basic] {
                let answer = try await sandbox.call(method, "/_sandbox/\(name)", authorization: wrong)
                #expect(answer.status == 401, "\(method) \(name) with \(wrong)")
                #expect(answer.detail == "Not authenticated")
            }
        }
        let list = try await sandbox.call("GET", "/providers/installed", authorization: "Bearer t0ken")
        #expect(list.array.count == 1, "the refused reset and state load changed nothing")
        let state = try await sandbox.call("GET", "/_sandbox/state", authorization: "Bearer t0ken")
        #expect(state.status == 200)
        #expect(String(decoding: state.body, as: UTF8.self).contains(Self.secret))
        #expect(try await sandbox.call("POST", "/_sandbox/reset", authorization: "Bearer t0ken").status == 200)
    }

    @Test("no spelling of an admin path gets past the token check: slashes, dots, percent-escapes, a query")
    func adminPathSpellings() async throws {
        let sandbox = try await Self.startWithSecret()
        defer { Task { await sandbox.stop() } }
        let port = try #require(sandbox.server.url.port)
        let targets = [
            "/_sandbox/state", "//_sandbox/state", "/./_sandbox/state", "/%5Fsandbox/state", "/%5fsandbox/state",
            "/_sandbox/state?x=1", "/_sandbox//state", "/_sandbox/./state", "/%2E/_sandbox/state",
            "/api/../_sandbox/state", "/_sandbox/%73tate", "///_sandbox/state/", "http://127.0.0.1:\(port)/_sandbox/state",
        ]
        for target in targets {
            let anonymous = try await RawHTTP.request("GET", target, to: sandbox.server.url)
            #expect(anonymous.status == 401, "\(target)")
            #expect(!anonymous.body.contains(Self.secret), "\(target)")
            let admin = try await RawHTTP.request("GET", target, to: sandbox.server.url, authorization: "Bearer t0ken")
            #expect(admin.status == 200, "\(target)")
        }
        #expect(SandboxRoute(method: "GET", path: "//_sandbox/./%73tate?x=1") == .admin("state"))
        #expect(SandboxRoute(method: "GET", path: "/api/v1/../../_sandbox/state")?.side == .admin)
    }

    @Test("without a token the admin side stays open")
    func adminOpenWithoutToken() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        #expect(try await RawHTTP.request("GET", "/_sandbox/state", to: sandbox.server.url).status == 200)
    }

    @Test("with a token, GET …/variables without admin credentials is 403 and shows no value")
    func variablesNeedAdministrator() async throws {
        let sandbox = try await SandboxHTTP.start(SandboxConfiguration(token: "t0ken"))
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/api/v1/providers", json: [
            "location": "acme/a", "variables": ["KEY": Self.secret],
        ], authorization: "Bearer t0ken")
        let id = try #require(created.object["id"] as? String)
        let path = "/api/v1/providers/\(id)/variables"
        let wrongBasic = "Basic " + Data("admin:nope".utf8).base64EncodedString()
        for authorization in [nil, "Bearer nope", wrongBasic] {
            let answer = try await RawHTTP.request("GET", path, to: sandbox.server.url, authorization: authorization)
            #expect(answer.status == 403, "\(authorization ?? "anonymous")")
            #expect(!answer.body.contains(Self.secret))
        }
        #expect(try await sandbox.call("GET", path, authorization: "Bearer t0ken").status == 200)
    }

    @Test("an auto_stop_timeout_sec beyond Int is a 422 on create, preview and PATCH, and the sandbox lives on")
    func hugeIntegers() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/base"])
        let id = try #require(created.object["id"] as? String)
        let cases = [
            ("1e19", "less_than_equal"), ("1e308", "less_than_equal"), ("-1e308", "greater_than"),
            ("12345678901234567890123", "less_than_equal"), ("-12345678901234567890123", "greater_than"),
            (#""12345678901234567890123""#, "less_than_equal"),
        ]
        for (number, type) in cases {
            let body = Data(#"{"location": "acme/huge", "auto_stop_timeout_sec": \#(number)}"#.utf8)
            for (method, path) in [("POST", "/api/v1/providers"), ("POST", "/api/v1/providers/preview"),
                                   ("PATCH", "/api/v1/providers/\(id)")] {
                let answer = try await sandbox.call(method, path, raw: body, contentType: "application/json")
                #expect(answer.status == 422, "\(method) \(path) \(number)")
                #expect(answer.firstIssue["type"] as? String == type, "\(method) \(path) \(number)")
                #expect(answer.firstIssue["loc"] as? [String] == ["body", "auto_stop_timeout_sec"])
            }
        }
        #expect(try await sandbox.call("GET", "/api/v1/providers").status == 200)
        let clock = try await sandbox.call("POST", "/_sandbox/clock", raw: Data(#"{"advance_seconds": 1e308}"#.utf8),
                                           contentType: "application/json")
        #expect(clock.status == 400)
        #expect(try await sandbox.call("GET", "/providers/installed").status == 200)
    }

    @Test("a body over 8 MiB is a 413 with a detail")
    func bodyTooLarge() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let body = Data(repeating: UInt8(ascii: " "), count: SandboxHTTPAdapter.maxBodyBytes + 1)
        let answer = try await sandbox.call("POST", "/api/v1/providers", raw: body, contentType: "application/json")
        #expect(answer.status == 413)
        #expect(answer.detail == "Request body too large")
        #expect(try await sandbox.call("GET", "/api/v1/providers").status == 200)
    }

    @Test("the admin side takes bodies over 8 MiB: a state load carries a whole world")
    func largeAdminBody() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        var body = Data(repeating: UInt8(ascii: " "), count: SandboxHTTPAdapter.maxBodyBytes + 1)
        body.append(Data(#"{"advance_seconds": 1}"#.utf8))
        let answer = try await sandbox.call("POST", "/_sandbox/clock", raw: body, contentType: "application/json")
        #expect(answer.status != 413)
        #expect((200..<300).contains(answer.status))
    }

    @Test("fault rules out of range are refused: PUT /_sandbox/faults is a 422 naming the field, a file an error")
    func faultRuleRanges() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let put = try await sandbox.call("PUT", "/_sandbox/faults", json: [
            "seed": 1, "rules": [["route": "*", "latency_ms": -1, "error_rate": 2, "drop_rate": -0.5]],
        ])
        #expect(put.status == 422)
        let issues = put.object["detail"] as? [[String: Any]] ?? []
        #expect(issues.compactMap { ($0["loc"] as? [Any])?.last as? String } == ["latency_ms", "error_rate", "drop_rate"])
        #expect(issues.compactMap { $0["type"] as? String }
            == ["greater_than_equal", "less_than_equal", "greater_than_equal"])
        #expect((try await sandbox.call("GET", "/_sandbox/faults").object["rules"] as? [Any])?.isEmpty == true)

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("faults-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"seed": 1, "rules": [{"route": "*", "throttle_rate": 1.5}]}"#.utf8).write(to: file)
        let error = #expect(throws: SandboxError.self) { try FaultPlan.load(file.path) }
        #expect(error?.description.contains("rules[0].throttle_rate: Input should be less than or equal to 1") == true)
        let plan = FaultPlan(rules: [FaultRule(latencyMs: -5)])
        await #expect(throws: SandboxError.self) { _ = try await SandboxServer.start(SandboxConfiguration(faults: plan)) }
    }

    @Test("the state file is written 0600 through a fresh temporary file; a planted temporary name is not followed")
    func stateFileWrite() throws {
        let manager = FileManager.default
        let directory = manager.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? manager.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sandbox.json").path
        try Data("{}".utf8).write(to: URL(fileURLWithPath: path))
        try manager.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        // A symlink where the temporary file used to go (its name was the pid), pointing at someone else's file.
        let victim = directory.appendingPathComponent("victim").path
        try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
        let planted = "\(path).tmp-\(ProcessInfo.processInfo.processIdentifier)"
        try manager.createSymbolicLink(atPath: planted, withDestinationPath: victim)

        try StateFile.write(.builtIn, to: path)
        let attributes = try manager.attributesOfItem(atPath: path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        #expect(try StateFile.read(path) != nil)
        let names = try manager.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["sandbox.json", URL(fileURLWithPath: planted).lastPathComponent, "victim"])
    }
}
