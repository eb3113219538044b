import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import ProvsyncSandbox

@Suite("Sandbox auth, persistence, faults and admin")
struct SandboxBehaviourTests {
    @Test("the store API wants the bearer token: 401 with WWW-Authenticate otherwise")
    func storeAuth() async throws {
        let sandbox = try await SandboxHTTP.start(SandboxConfiguration(token: "t0ken"))
        defer { Task { await sandbox.stop() } }
        let anonymous = try await sandbox.call("GET", "/providers/installed")
        #expect(anonymous.status == 401)
        #expect(anonymous.headers["www-authenticate"] == "Bearer")
        let wrong = try await sandbox.call("GET", "/providers/installed", authorization: "Bearer nope")
        #expect(wrong.status == 401)
        let right = try await sandbox.call("GET", "/providers/installed", authorization: "Bearer t0ken")
        #expect(right.status == 200)
    }

    @Test("the agent API lets anyone read; writes without valid credentials are 403; Basic checks only the password")
    func agentAuth() async throws {
        let sandbox = try await SandboxHTTP.start(SandboxConfiguration(token: "t0ken", password: "pa55"))
        defer { Task { await sandbox.stop() } }
        let basic = { (user: String, password: String) in
            "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        }
        #expect(try await sandbox.call("GET", "/api/v1/providers").status == 200)
        let anonymous = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/a"])
        #expect(anonymous.status == 403)
        #expect(anonymous.detail == "Insufficient permissions")
        let wrongPassword = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/a"],
                                                   authorization: basic("admin", "nope"))
        #expect(wrongPassword.status == 403)
        let anyUser = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/a"],
                                             authorization: basic("whoever", "pa55"))
        #expect(anyUser.status == 200)
        // With an admin password of its own, the store's token makes an anonymous caller of the agent API.
        let bearer = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/b"],
                                            authorization: "Bearer t0ken")
        #expect(bearer.status == 403)
        let tokenOnly = try await SandboxHTTP.start(SandboxConfiguration(token: "t0ken"))
        defer { Task { await tokenOnly.stop() } }
        let shared = try await tokenOnly.call("POST", "/api/v1/providers", json: ["location": "acme/b"],
                                              authorization: "Bearer t0ken")
        #expect(shared.status == 200)
    }

    @Test("state persists to the state file across a restart")
    func persistence() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let first = try await SandboxHTTP.start(SandboxConfiguration(stateFile: file.path))
        _ = try await first.call("POST", "/providers/install", json: ["provider_name": "acme/redis", "version": "7.2.4"])
        let agent = try await first.call("POST", "/api/v1/providers", json: ["location": "acme/kept", "variables": ["K": "v"]])
        await first.stop()
        #expect(FileManager.default.fileExists(atPath: file.path))
        let siblings = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        #expect(!siblings.contains { $0.hasPrefix(file.lastPathComponent + ".tmp-") }, "no temporary file is left")

        let second = try await SandboxHTTP.start(SandboxConfiguration(stateFile: file.path))
        defer { Task { await second.stop() } }
        let list = try await second.call("GET", "/providers/installed").array
        #expect(list.map { $0["canonical"] as? String } == ["acme/redis"])
        let id = try #require(agent.object["id"] as? String)
        let variables = try await second.call("GET", "/api/v1/providers/\(id)/variables")
        #expect(variables.object["variables"] as? [String: String] == ["K": "v"])
    }

    @Test("fault injection under a fixed seed gives the same sequence twice")
    func deterministicFaults() async throws {
        let plan = FaultPlan(seed: 42, rules: [FaultRule(route: "GET /providers/*", errorRate: 0.3, throttleRate: 0.2,
                                                         retryAfterSeconds: 7)])
        func sequence() async throws -> [Int] {
            let sandbox = try await SandboxHTTP.start(SandboxConfiguration(faults: plan))
            defer { Task { await sandbox.stop() } }
            var statuses: [Int] = []
            for _ in 0..<40 {
                let answer = try await sandbox.call("GET", "/providers/installed")
                if answer.status == 429 { #expect(answer.headers["retry-after"] == "7") }
                statuses.append(answer.status)
            }
            #expect(try await sandbox.call("GET", "/api/v1/providers").status == 200, "rules match by route")
            return statuses
        }
        let first = try await sequence()
        let second = try await sequence()
        #expect(first == second)
        #expect(first.contains(429))
        #expect(first.contains { [500, 502, 503].contains($0) })
        #expect(first.contains(200))
    }

    @Test("fault rules load from a JSON file; a broken file is a clear error")
    func faultFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("faults-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"seed": 9, "rules": [{"route": "POST /providers/*", "error_rate": 0.5, "latency_ms": 20}]}"#.utf8)
            .write(to: file)
        let plan = try FaultPlan.load(file.path)
        #expect(plan.seed == 9)
        #expect(plan.rules == [FaultRule(route: "POST /providers/*", latencyMs: 20, errorRate: 0.5)])
        #expect(plan.rules[0].matches("POST /providers/installed/{org}/{name}/upgrade"))
        #expect(!plan.rules[0].matches("GET /providers/installed"))
        try Data("[]".utf8).write(to: file)
        #expect(throws: SandboxError.self) { try FaultPlan.load(file.path) }
    }

    @Test("a dropped connection fails the request on the client")
    func droppedConnection() async throws {
        let plan = FaultPlan(seed: 1, rules: [FaultRule(route: "POST /providers/install", dropRate: 1)])
        let sandbox = try await SandboxHTTP.start(SandboxConfiguration(faults: plan))
        defer { Task { await sandbox.stop() } }
        await #expect(throws: (any Error).self) {
            _ = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/redis"])
        }
        let log = try await sandbox.call("GET", "/_sandbox/requests")
        let entries = log.object["requests"] as? [[String: Any]]
        #expect(entries?.last?["fault"] as? String == "drop")
        #expect(log.object["total"] as? Int == entries?.count, "the log counts every API request, admin ones aside")
        #expect(try await sandbox.call("GET", "/providers/installed").array.isEmpty, "a dropped install changes nothing")
    }

    @Test("a lost reply carries the request out but the client never hears back")
    func lostReply() async throws {
        let plan = FaultPlan(seed: 1, rules: [FaultRule(route: "POST /providers/install", lostReplyRate: 1)])
        let sandbox = try await SandboxHTTP.start(SandboxConfiguration(faults: plan))
        defer { Task { await sandbox.stop() } }
        await #expect(throws: (any Error).self) {
            _ = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/redis"])
        }
        #expect(try await sandbox.call("GET", "/providers/installed").array.map { $0["canonical"] as? String } == ["acme/redis"])
        let writes = try await sandbox.call("GET", "/_sandbox/writes").object
        #expect(writes["applied"] as? [String: Int] == ["POST /providers/install": 1])
    }

    @Test("the store API takes only a bearer token, not Basic")
    func storeBearerOnly() async throws {
        let sandbox = try await SandboxHTTP.start(SandboxConfiguration(token: "t0ken"))
        defer { Task { await sandbox.stop() } }
        let basic = "Basic " + Data("user:t0ken".utf8).base64EncodedString()
        #expect(try await sandbox.call("GET", "/providers/installed", authorization: basic).status == 401)
    }

    @Test("faults can be changed at run time; injected failures are received but not applied")
    func faultsAtRunTime() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        let put = try await sandbox.call("PUT", "/_sandbox/faults",
                                         json: ["seed": 3, "rules": [["route": "POST /providers/install", "error_rate": 1]]])
        #expect(put.status == 200)
        let failed = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/redis"])
        #expect([500, 502, 503].contains(failed.status))
        let writes = try await sandbox.call("GET", "/_sandbox/writes").object
        #expect(writes["received"] as? [String: Int] == ["POST /providers/install": 1])
        #expect(writes["applied"] as? [String: Int] == [:])
    }

    @Test("the admin side counts writes by route, logs requests with their subject, and resets")
    func admin() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        _ = try await sandbox.call("GET", "/providers/installed")
        _ = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/redis"])
        _ = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/loki"])
        let writes = try await sandbox.call("GET", "/_sandbox/writes").object
        #expect(writes["applied"] as? [String: Int] == ["POST /providers/install": 2])
        let requests = try await sandbox.call("GET", "/_sandbox/requests").object["requests"] as? [[String: Any]]
        #expect(requests?.map { $0["route"] as? String } == ["GET /providers/installed", "POST /providers/install",
                                                             "POST /providers/install"])
        #expect(requests?.compactMap { $0["subject"] as? String } == ["acme/redis", "acme/loki"])
        #expect(try await sandbox.call("POST", "/_sandbox/reset").status == 200)
        #expect(try await sandbox.call("GET", "/providers/installed").array.isEmpty)
        #expect(try await sandbox.call("GET", "/_sandbox/writes").object["total_received"] as? Int == 0)
        #expect(try await sandbox.call("GET", "/nowhere").status == 404)
    }

    @Test("a large world serves repeated lists; the request log stays bounded")
    func largeWorld() async throws {
        let sandbox = try await SandboxHTTP.start()
        defer { Task { await sandbox.stop() } }
        var installations: [String: Any] = [:]
        let now = "2026-01-01T00:00:00Z"
        for index in 0..<10_000 {
            installations["acme/p\(index)"] = [
                "prefix": "acme", "name": "p\(index)", "installedVersion": "1.0.0", "currentVersion": "1.0.0",
                "upgradePolicy": "manual", "resourceTier": "standard", "config": ["A": "b"], "installedAt": now,
                "createdAt": now, "updatedAt": now, "lifecycleState": "ready", "stateSince": now, "health": "healthy",
                "activeResources": 0,
            ]
        }
        #expect(try await sandbox.call("PUT", "/_sandbox/state", json: ["installations": installations]).status == 200)
        for _ in 0..<20 {
            let list = try await sandbox.call("GET", "/providers/installed")
            #expect(list.array.count == 10_000)
        }
        var log = RequestLog(capacity: 5)
        for index in 0..<12 {
            log.append(RequestLogEntry(sequence: index, method: "GET", path: "/", route: "r", status: 200))
        }
        #expect(log.ordered.map(\.sequence) == [7, 8, 9, 10, 11])
        #expect(log.total == 12)
    }
}
