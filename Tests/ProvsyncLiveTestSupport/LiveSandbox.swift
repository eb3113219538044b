import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ProvsyncLive
import ProvsyncModel
import ProvsyncSandbox

/// A sandbox started in this process, with readers and writers pointed at it and access to its admin side.
package struct LiveSandbox {
    package let server: SandboxServer
    package let sleeps = SleepRecorder()

    package static func start(_ configuration: SandboxConfiguration = SandboxConfiguration(pendingSeconds: 0,
                                                                                  processingSeconds: 0, manualClock: true))
        async throws -> LiveSandbox {
        LiveSandbox(server: try await SandboxServer.start(configuration))
    }

    package var endpoints: APIEndpoints { APIEndpoints(apiURL: server.url) }

    /// Fast retries whose waits are recorded instead of slept. The request timeout is long (tests that are not
    /// about time must not fail because a busy machine answered late); tests of timeouts pass their own.
    package func options(timeout: Double = 120, attempts: Int = 5) -> APIClientOptions {
        let sleeps = self.sleeps
        return APIClientOptions(
            timeout: timeout, retry: RetryPolicy(maxAttempts: attempts, baseDelay: 0.01, maxDelay: 0.05),
            sleep: { await sleeps.record($0) }, jitter: { 0.5 }
        )
    }

    package func reader(_ credentials: Credentials = .none, options: APIClientOptions? = nil) -> LiveReader {
        LiveReader(endpoints: endpoints, credentials: credentials, options: options ?? self.options())
    }

    package func writer(_ credentials: Credentials = .none, options: APIClientOptions? = nil) -> LiveWriter {
        LiveWriter(endpoints: endpoints, credentials: credentials, options: options ?? self.options())
    }

    package func stop() async {
        await server.stop()
    }

    // MARK: Admin side and raw calls

    /// The base URL as text, for `--api-url`.
    package var url: String { server.url.absoluteString }

    /// The sandbox's request log, oldest first.
    package func requests() async throws -> [LoggedRequest] {
        try await decode(RequestLogBody.self, "GET", "/_sandbox/requests").requests
    }

    /// Requests in the log on one route pattern, e.g. `GET /api/v1/providers/{id}/variables`.
    package func requests(on route: String) async throws -> [LoggedRequest] {
        try await requests().filter { $0.route == route }
    }

    /// Empties the request log and the write counts.
    package func clearRequests() async throws {
        try await expectOK("DELETE", "/_sandbox/requests")
    }

    /// Write requests since the last reset: all that arrived and those that changed state.
    package func writes() async throws -> WriteCounts {
        try await decode(WriteCounts.self, "GET", "/_sandbox/writes")
    }

    /// Replaces the fault rules (`PUT /_sandbox/faults`).
    package func setFaults(_ plan: FaultPlan) async throws {
        try await expectOK("PUT", "/_sandbox/faults", json: try JSONDecoder().decode(
            JSONValue.self, from: JSONEncoder().encode(plan)))
    }

    /// Moves the sandbox clock on (installs settle by it).
    package func advanceClock(seconds: Double) async throws {
        try await expectOK("POST", "/_sandbox/clock", json: ["advance_seconds": .number(seconds)])
    }

    /// Adds `versions` of `provider` to the store catalog, published (`POST /_sandbox/publish`, one per
    /// version), so that tests can install providers the built-in catalog does not have.
    package func publish(_ provider: String, versions: [String] = ["1.0.0", "1.1.0", "1.2.0"]) async throws {
        for version in versions {
            try await expectOK("POST", "/_sandbox/publish", json: ["provider": .string(provider), "version": .string(version)])
        }
    }

    /// Changes one stored agent provider's fields in the sandbox state (keys as the state dump spells them).
    package func editProvider(id: String, _ changes: [String: JSONValue]) async throws {
        try await editRecord(in: "providers", key: id, changes)
    }

    /// Changes one stored installation's fields (`activeResources`, for example) in the sandbox state.
    package func editInstallation(_ name: String, _ changes: [String: JSONValue]) async throws {
        try await editRecord(in: "installations", key: name, changes)
    }

    private func editRecord(in collection: String, key: String, _ changes: [String: JSONValue]) async throws {
        guard case .object(var world)? = try await call("GET", "/_sandbox/state").body,
              case .object(var records)? = world[collection], case .object(var record)? = records[key] else {
            throw FixtureError("\(collection) has no \(key) in the sandbox state")
        }
        record.merge(changes) { _, new in new }
        records[key] = .object(record)
        world[collection] = .object(records)
        try await expectOK("PUT", "/_sandbox/state", json: .object(world))
    }

    /// Sends a request to either API (or the admin side) as a client would, and returns the status and
    /// the JSON body (nil when the body is empty or not JSON).
    @discardableResult
    package func call(_ method: String, _ path: String, json: JSONValue? = nil) async throws -> SandboxAnswer {
        guard let url = URL(string: self.url + path) else { throw FixtureError("bad path \(path)") }
        var request = URLRequest(url: url)
        request.timeoutInterval = 120  // a hang guard, not a measure of time
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONEncoder().encode(json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        authorizeAdmin(&request, path)
        let (data, response) = try await URLSession.shared.data(for: request)
        return SandboxAnswer(status: (response as? HTTPURLResponse)?.statusCode ?? 0,
                             body: try? JSONDecoder().decode(JSONValue.self, from: data))
    }

    /// The admin side wants the sandbox's token, when it has one; API calls go out as given.
    private func authorizeAdmin(_ request: inout URLRequest, _ path: String) {
        guard path.hasPrefix("/_sandbox/"), let token = server.token else { return }
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    }

    private func expectOK(_ method: String, _ path: String, json: JSONValue? = nil) async throws {
        let answer = try await call(method, path, json: json)
        guard answer.status == 200 else {
            throw FixtureError("\(method) \(path): \(answer.status) \(answer.body.map { "\($0)" } ?? "")")
        }
    }

    private func decode<Value: Decodable>(_ type: Value.Type, _ method: String, _ path: String) async throws -> Value {
        guard let url = URL(string: self.url + path) else { throw FixtureError("bad path \(path)") }
        var request = URLRequest(url: url)
        request.timeoutInterval = 120  // a hang guard, not a measure of time
        request.httpMethod = method
        authorizeAdmin(&request, path)
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw FixtureError("\(method) \(path): \(String(decoding: data, as: UTF8.self))")
        }
        return try JSONDecoder().decode(type, from: data)
    }
}

/// A status and a JSON body, as the sandbox answered.
package struct SandboxAnswer: Sendable {
    package var status: Int
    package var body: JSONValue?
}

/// `GET /_sandbox/writes`.
package struct WriteCounts: Decodable, Sendable {
    package var received: [String: Int]
    package var applied: [String: Int]
    package var totalReceived: Int
    package var totalApplied: Int

    enum CodingKeys: String, CodingKey {
        case received, applied, totalReceived = "total_received", totalApplied = "total_applied"
    }
}

extension JSONValue {
    /// The member `key` of an object; nil for anything else.
    package subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }

    /// The item at `index` of an array; nil for anything else or out of range.
    package subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { items[index] } else { nil }
    }

    package var string: String? {
        if case .string(let text) = self { text } else { nil }
    }

    package var array: [JSONValue]? {
        if case .array(let items) = self { items } else { nil }
    }
}

/// One entry of `GET /_sandbox/requests`.
package struct LoggedRequest: Decodable, Sendable {
    package var sequence: Int?
    package var method: String
    package var path: String
    package var route: String
    package var status: Int
    package var fault: String?
    package var subject: String?
}

private struct RequestLogBody: Decodable {
    var requests: [LoggedRequest]
}

/// The waits a client asked for between attempts.
package actor SleepRecorder {
    package private(set) var delays: [Double] = []

    package func record(_ seconds: Double) {
        delays.append(seconds)
    }
}

package struct FixtureError: Error, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}

/// Runs `body` against a fresh sandbox and stops it afterwards, also when `body` throws.
package func withSandbox<Value>(_ configuration: SandboxConfiguration = SandboxConfiguration(pendingSeconds: 0,
                                                                                   processingSeconds: 0, manualClock: true),
                        _ body: (LiveSandbox) async throws -> Value) async throws -> Value {
    let sandbox = try await LiveSandbox.start(configuration)
    do {
        let value = try await body(sandbox)
        await sandbox.stop()
        return value
    } catch {
        await sandbox.stop()
        throw error
    }
}

/// The error `body` throws, or nil when it succeeds.
package func apiError<Value>(_ body: () async throws(APIError) -> Value) async -> APIError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}

/// A live read's detail selection naming the listed agent providers whose origin is one of `origins` (their
/// variables are read), as a manifest of each origin would.
package struct VariablesOf: DetailSelection {
    package var origins: Set<String>

    package init(origins: Set<String>) {
        self.origins = origins
    }

    package func identitiesNeedingDetails(of kind: ManifestKind, listed: LiveSnapshot) -> Set<String> {
        Set(listed.agentProviders.filter { origins.contains($0.origin) }.map(\.id))
    }
}
