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

    @Test("no version installs the newest published one; a version the catalog does not have is a 404")
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
        #expect(versions.array.map { $0["version"] as? String } == ["1.6.0", "1.5.0", "1.4.2", "1.4.0", "1.3.0"])
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

    // MARK: The catalog: versions in every status, the provider

    /// A catalog entry with a version in each interesting state, loaded through `PUT /_sandbox/state`.
    private static var demoWorld: [String: Any] { ["catalog": [
        "acme/demo": ["versions": [
            "1.0.0",
            ["version": "1.1.0", "status": "failed", "error_message": "wheel_refused: the wheel is not a provider"],
            ["version": "1.2.0"],
            ["version": "2.0.0", "status": "queued"],
        ]],
        "acme/unreleased": ["versions": [["version": "0.1.0", "status": "awaiting_wheel"]]],
    ]] }

    private static func rfc3339(_ text: Any?) -> Date? {
        guard let text = text as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    @Test("versions are pragmatiks-sdk ProviderVersion items, newest first, every status listed")
    func versionShape() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let items = try await sandbox.call("GET", "/providers/acme/postgres/versions").array
        #expect(items.map { $0["version"] as? String } == ["1.6.0", "1.5.0", "1.4.2", "1.4.0", "1.3.0"])
        #expect(items.map { $0["status"] as? String } == ["staged", "published", "published", "published", "published"])
        for item in items {
            #expect(item["prefix"] as? String == "acme")
            #expect(item["name"] as? String == "postgres")
            #expect(item["distribution_name"] as? String == "acme-postgres")
            #expect(Self.rfc3339(item["created_at"]) != nil && Self.rfc3339(item["updated_at"]) != nil)
            #expect((Self.rfc3339(item["published_at"]) != nil) == (item["status"] as? String == "published"))
            #expect(item["error_message"] is NSNull)
        }
        let flaky = try await sandbox.call("GET", "/providers/acme/flaky/versions").array
        #expect(flaky.first?["version"] as? String == "0.3.0")
        #expect(flaky.first?["status"] as? String == "failed")
        #expect((flaky.first?["error_message"] as? String)?.hasPrefix("import_failed") == true)
    }

    @Test("version times come from the sandbox clock; publishing moves a version in admission to published")
    func versionTimes() async throws {
        let sandbox = try await SandboxHTTP.start(SandboxConfiguration(manualClock: true))
        defer { Task { await sandbox.stop() } }
        func advance(_ seconds: Int) async throws -> String? {
            try await sandbox.call("POST", "/_sandbox/clock", json: ["advance_seconds": seconds]).object["now"] as? String
        }
        let start = try await advance(0)
        let later = try await advance(60)
        #expect(start != nil && later != nil && start != later)
        _ = try await sandbox.call("POST", "/_sandbox/publish", json: ["provider": "acme/postgres", "version": "1.6.0"])
        _ = try await sandbox.call("POST", "/_sandbox/publish", json: ["provider": "acme/postgres", "version": "1.7.0"])
        let items = try await sandbox.call("GET", "/providers/acme/postgres/versions").array
        let byVersion = Dictionary(uniqueKeysWithValues: items.map { ($0["version"] as? String ?? "", $0) })
        #expect(byVersion["1.5.0"]?["created_at"] as? String == start)
        #expect(byVersion["1.6.0"]?["status"] as? String == "published")
        #expect(byVersion["1.6.0"]?["created_at"] as? String == start)
        #expect(byVersion["1.6.0"]?["updated_at"] as? String == later)
        #expect(byVersion["1.6.0"]?["published_at"] as? String == later)
        #expect(byVersion["1.7.0"]?["created_at"] as? String == later)
        let installed = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/postgres"])
        #expect(installed.object["installed_version"] as? String == "1.7.0")
    }

    @Test("install, upgrade and downgrade refuse a version that is not published with a 400 naming its status")
    func unpublishedRefused() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        #expect(try await sandbox.call("PUT", "/_sandbox/state", json: Self.demoWorld).status == 200)
        func install(_ version: Any) async throws -> HTTPAnswer {
            try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/demo", "version": version])
        }
        func change(_ action: String, _ body: [String: Any]) async throws -> HTTPAnswer {
            try await sandbox.call("POST", "/providers/installed/acme/demo/\(action)", json: body)
        }
        let queued = try await install("2.0.0")
        #expect(queued.status == 400)
        #expect(queued.detail == "Version 2.0.0 of acme/demo is not published (status: queued)")
        let failed = try await install("1.1.0")
        #expect(failed.status == 400)
        #expect(failed.detail == "Version 1.1.0 of acme/demo is not published (status: failed)")
        let latest = try await install(NSNull())
        #expect(latest.status == 201)
        #expect(latest.object["installed_version"] as? String == "1.2.0", "latest is the newest published version")
        let up = try await change("upgrade", ["version": "2.0.0"])
        #expect(up.status == 400)
        #expect(up.detail == "Version 2.0.0 of acme/demo is not published (status: queued)")
        let upLatest = try await change("upgrade", ["version": NSNull()])
        #expect(upLatest.status == 400)
        #expect(upLatest.detail == "Version 1.2.0 is not newer than the installed version 1.2.0")
        let down = try await change("downgrade", ["target_version": "1.1.0"])
        #expect(down.status == 400)
        #expect(down.detail == "Version 1.1.0 of acme/demo is not published (status: failed)")
        let downOK = try await change("downgrade", ["target_version": "1.0.0"])
        #expect(downOK.status == 200)
        let none = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/unreleased"])
        #expect(none.status == 404)
        #expect(none.detail == "Provider acme/unreleased has no published versions")
    }

    @Test("a broken version installs and then fails; a version whose status is failed does not install")
    func brokenIsNotFailed() async throws {
        let sandbox = try await SandboxHTTP.start(SandboxConfiguration(pendingSeconds: 0, processingSeconds: 0))
        defer { Task { await sandbox.stop() } }
        let failedStatus = try await sandbox.call("POST", "/providers/install",
                                                  json: ["provider_name": "acme/flaky", "version": "0.3.0"])
        #expect(failedStatus.status == 400)
        let broken = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/flaky"])
        #expect(broken.status == 201)
        #expect(broken.object["installed_version"] as? String == "0.2.0")
        let listed = try await sandbox.call("GET", "/providers/installed").array
        #expect(listed.first?["lifecycle_state"] as? String == "failed")
    }

    @Test("a provider or version missing from the catalog is a 404: there is no open catalog")
    func noOpenCatalog() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        for version in ["1.0.0", NSNull()] as [Any] {
            let install = try await sandbox.call("POST", "/providers/install",
                                                 json: ["provider_name": "acme/unknown", "version": version])
            #expect(install.status == 404)
            #expect(install.detail == "Provider acme/unknown not found")
        }
        let versions = try await sandbox.call("GET", "/providers/acme/unknown/versions")
        #expect(versions.status == 404)
        #expect(versions.detail == "Provider acme/unknown not found")
        let version = try await sandbox.call("POST", "/providers/install",
                                             json: ["provider_name": "acme/postgres", "version": "1.0.0"])
        #expect(version.status == 404)
        #expect(version.detail == "Version 1.0.0 of acme/postgres not found")
    }

    @Test("GET /providers/{org}/{name} answers the catalog's provider (latest_version: newest published); unknown: 404")
    func provider() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let postgres = try await sandbox.call("GET", "/providers/acme/postgres")
        #expect(postgres.status == 200)
        #expect(postgres.object["prefix"] as? String == "acme")
        #expect(postgres.object["name"] as? String == "postgres")
        #expect(postgres.object["canonical"] as? String == "acme/postgres")
        #expect(postgres.object["latest_version"] as? String == "1.5.0", "1.6.0 is only staged")
        #expect(postgres.object["install_count"] as? Int == 0)
        #expect(postgres.object["tags"] as? [String] == [])
        #expect((postgres.object["author"] as? [String: String])?["organization_id"] == "acme")
        #expect(Self.rfc3339(postgres.object["created_at"]) != nil)
        #expect(Self.rfc3339(postgres.object["updated_at"]) != nil)
        _ = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/postgres"])
        #expect(try await sandbox.call("GET", "/providers/acme/postgres").object["install_count"] as? Int == 1)
        let list = try await sandbox.call("GET", "/providers/installed").array
        #expect(list.map { $0["canonical"] as? String } == ["acme/postgres"], "/providers/installed is still the list")
        #expect(try await sandbox.call("PUT", "/_sandbox/state", json: Self.demoWorld).status == 200)
        #expect(try await sandbox.call("GET", "/providers/acme/unreleased").object["latest_version"] is NSNull)
        let missing = try await sandbox.call("GET", "/providers/acme/unknown")
        #expect(missing.status == 404)
        #expect(missing.detail == "Provider acme/unknown not found")
    }

    @Test("a seed's catalog takes plain version strings (published) and objects with a status, and dumps them back")
    func seedFormat() async throws {
        let seed = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: seed) }
        try Data(#"""
            {"open_catalog": true, "catalog": {"acme/demo": {"versions": ["1.0.0",
              {"version": "1.1.0", "status": "staged", "created_at": "2026-01-02T03:04:05Z"}]}}}
            """#.utf8).write(to: seed)
        let sandbox = try await SandboxHTTP.start(SandboxConfiguration(seedFile: seed.path))
        defer { Task { await sandbox.stop() } }
        let items = try await sandbox.call("GET", "/providers/acme/demo/versions").array
        #expect(items.map { $0["status"] as? String } == ["staged", "published"])
        #expect(Self.rfc3339(items.first?["created_at"]) == Date(timeIntervalSince1970: 1_767_323_045))
        let other = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/other"])
        #expect(other.status == 404,
                "open_catalog in an old seed opens nothing")
        let dumped = try await sandbox.call("GET", "/_sandbox/state").object
        let entry = (dumped["catalog"] as? [String: Any])?["acme/demo"] as? [String: Any]
        let versions = entry?["versions"] as? [Any]
        #expect(versions?.first as? String == "1.0.0")
        #expect((versions?.last as? [String: Any])?["status"] as? String == "staged")
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: bad) }
        try Data(#"{"catalog": {"acme/demo": {"versions": [{"version": "1.0.0", "status": "done"}]}}}"#.utf8)
            .write(to: bad)
        await #expect(throws: SandboxError.self) {
            _ = try await SandboxServer.start(SandboxConfiguration(seedFile: bad.path))
        }
    }
}
