import Foundation
import Testing
@testable import ProvsyncSandbox

@Suite("Sandbox store API")
struct StoreAPITests {
    @Test("install answers pending, shows in the list, and a second install is a 409")
    func install() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let created = try await sandbox.call("POST", "/providers/install", json: [
            "provider_name": "acme/postgres", "version": "1.4.2", "config": ["LOG_LEVEL": "info"],
        ])
        #expect(created.status == 201)
        #expect(created.object["canonical"] as? String == "acme/postgres")
        #expect(created.object["lifecycle_state"] as? String == "pending")
        #expect(created.object["installed_version"] as? String == "1.4.2")
        #expect(created.object["current_version"] is NSNull)
        #expect(created.object["resource_tier"] as? String == "standard")
        #expect(created.object["upgrade_policy"] as? String == "manual")
        let list = try await sandbox.call("GET", "/providers/installed")
        #expect(list.status == 200)
        #expect(list.array.map { $0["canonical"] as? String } == ["acme/postgres"])
        #expect(list.array.first?["config"] as? [String: String] == ["LOG_LEVEL": "info"])
        let again = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/postgres"])
        #expect(again.status == 409)
        #expect(again.detail == "Provider acme/postgres is already installed")
    }

    @Test("no version installs the latest published one; an unpublished version is a 404")
    func latestAndUnknown() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let latest = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/postgres"])
        #expect(latest.object["installed_version"] as? String == "1.5.0")
        let missing = try await sandbox.call("POST", "/providers/install",
                                             json: ["provider_name": "acme/redis", "version": "9.9.9"])
        #expect(missing.status == 404)
        #expect(missing.detail == "Version 9.9.9 of acme/redis not found")
        let versions = try await sandbox.call("GET", "/providers/acme/postgres/versions")
        #expect(versions.array.map { $0["version"] as? String } == ["1.5.0", "1.4.2", "1.4.0", "1.3.0"])
    }

    @Test("validation errors are FastAPI 422 bodies with type, loc and msg",
          arguments: [
              (#"{"version": "1.0.0"}"#, "missing", ["body", "provider_name"], "Field required"),
              (#"{"provider_name": "\#(String(repeating: "a", count: 150))/\#(String(repeating: "b", count: 60))"}"#,
               "string_too_long", ["body", "provider_name"], "String should have at most 200 characters"),
              (#"{"provider_name": "acme/x", "resource_tier": "fast"}"#, "enum", ["body", "resource_tier"],
               "Input should be 'free', 'standard' or 'performance'"),
              (#"{"provider_name": "acme/x", "upgrade_policy": "sometimes"}"#, "enum", ["body", "upgrade_policy"],
               "Input should be 'auto' or 'manual'"),
              (#"{"provider_name": "acme/x", "config": {"PORT": 5432}}"#, "string_type", ["body", "config", "PORT"],
               "Input should be a valid string"),
              (#"{"provider_name": "nosslash"}"#, "string_pattern_mismatch", ["body", "provider_name"],
               "String should match pattern '^[^/]+/[^/]+$'"),
          ])
    func validation(body: String, type: String, loc: [String], msg: String) async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let answer = try await sandbox.call("POST", "/providers/install", raw: Data(body.utf8))
        #expect(answer.status == 422)
        #expect(answer.firstIssue["type"] as? String == type)
        #expect(answer.firstIssue["loc"] as? [String] == loc)
        #expect(answer.firstIssue["msg"] as? String == msg)
        #expect(answer.firstIssue["input"] != nil)
    }

    @Test("a body that is not JSON is a json_invalid 422")
    func notJSON() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let answer = try await sandbox.call("POST", "/providers/install", raw: Data("{nope".utf8))
        #expect(answer.status == 422)
        #expect(answer.firstIssue["type"] as? String == "json_invalid")
    }

    @Test("upgrade and downgrade compare semantic versions")
    func versions() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        _ = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/postgres", "version": "1.4.0"])
        let older = try await sandbox.call("POST", "/providers/installed/acme/postgres/upgrade", json: ["version": "1.3.0"])
        #expect(older.status == 400)
        let toLatest = try await sandbox.call("POST", "/providers/installed/acme/postgres/upgrade", json: ["version": NSNull()])
        #expect(toLatest.status == 200)
        #expect(toLatest.object["installed_version"] as? String == "1.5.0")
        let noTarget = try await sandbox.call("POST", "/providers/installed/acme/postgres/downgrade", json: [String: String]())
        #expect(noTarget.status == 422)
        #expect(noTarget.firstIssue["loc"] as? [String] == ["body", "target_version"])
        let newer = try await sandbox.call("POST", "/providers/installed/acme/postgres/downgrade",
                                           json: ["target_version": "1.5.0"])
        #expect(newer.status == 400)
        let down = try await sandbox.call("POST", "/providers/installed/acme/postgres/downgrade",
                                          json: ["target_version": "1.4.2"])
        #expect(down.status == 200)
        #expect(down.object["installed_version"] as? String == "1.4.2")
        #expect(down.object["lifecycle_state"] as? String == "pending")
        let absent = try await sandbox.call("POST", "/providers/installed/acme/none/upgrade", json: [String: String]())
        #expect(absent.status == 404)
    }

    @Test("uninstall is refused while resources are active unless cascade=true")
    func uninstall() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        _ = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/redis"])
        var state = try await sandbox.call("GET", "/_sandbox/state").object
        var installations = state["installations"] as? [String: [String: Any]] ?? [:]
        installations["acme/redis"]?["activeResources"] = 3
        state["installations"] = installations
        #expect(try await sandbox.call("PUT", "/_sandbox/state", json: state).status == 200)
        let refused = try await sandbox.call("DELETE", "/providers/installed/acme/redis?cascade=false")
        #expect(refused.status == 409)
        let removed = try await sandbox.call("DELETE", "/providers/installed/acme/redis?cascade=true")
        #expect(removed.status == 204)
        #expect(try await sandbox.call("GET", "/providers/installed").array.isEmpty)
    }

    @Test("the worker moves installs pending → processing → ready, or to failed for a broken version")
    func lifecycle() async throws {
        let sandbox = try await SandboxHTTP.start(SandboxConfiguration(pendingSeconds: 30, processingSeconds: 60))
        defer { Task { await sandbox.stop() } }
        _ = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/loki", "version": "3.0.0"])
        _ = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/flaky", "version": "0.2.0"])
        func states() async throws -> [String: String] {
            let list = try await sandbox.call("GET", "/providers/installed").array
            return Dictionary(uniqueKeysWithValues: list.map {
                ($0["canonical"] as? String ?? "", $0["lifecycle_state"] as? String ?? "")
            })
        }
        #expect(try await states() == ["acme/loki": "pending", "acme/flaky": "pending"])
        _ = try await sandbox.call("POST", "/_sandbox/clock", json: ["advance_seconds": 30])
        #expect(try await states() == ["acme/loki": "processing", "acme/flaky": "processing"])
        _ = try await sandbox.call("POST", "/_sandbox/clock", json: ["advance_seconds": 60])
        #expect(try await states() == ["acme/loki": "ready", "acme/flaky": "failed"])
        let list = try await sandbox.call("GET", "/providers/installed").array
        let loki = list.first { $0["canonical"] as? String == "acme/loki" }
        let flaky = list.first { $0["canonical"] as? String == "acme/flaky" }
        #expect(loki?["current_version"] as? String == "3.0.0")
        #expect(flaky?["health"] as? String == "degraded")
        #expect((flaky?["health_message"] as? String)?.contains("0.2.0") == true)
    }

    @Test("publishing a newer version moves auto-upgrade installations forward")
    func autoUpgrade() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        _ = try await sandbox.call("POST", "/providers/install",
                                   json: ["provider_name": "acme/loki", "version": "3.0.0", "upgrade_policy": "auto"])
        _ = try await sandbox.call("POST", "/providers/install",
                                   json: ["provider_name": "acme/redis", "version": "7.0.15"])
        _ = try await sandbox.call("POST", "/_sandbox/publish", json: ["provider": "acme/loki", "version": "3.2.0"])
        _ = try await sandbox.call("POST", "/_sandbox/publish", json: ["provider": "acme/redis", "version": "7.4.0"])
        let list = try await sandbox.call("GET", "/providers/installed").array
        #expect(list.map { $0["installed_version"] as? String } == ["3.2.0", "7.0.15"])
    }
}
