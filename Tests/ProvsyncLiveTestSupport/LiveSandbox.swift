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
                                                                                  processingSeconds: 0))
        async throws -> LiveSandbox {
        LiveSandbox(server: try await SandboxServer.start(configuration))
    }

    package var endpoints: APIEndpoints { APIEndpoints(apiURL: server.url) }

    /// Fast retries whose waits are recorded instead of slept.
    package func options(timeout: Double = 10, attempts: Int = 5) -> APIClientOptions {
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

    // MARK: Admin side

    /// The sandbox's request log, oldest first.
    package func requests() async throws -> [LoggedRequest] {
        let data = try await admin("GET", "requests")
        return try JSONDecoder().decode(RequestLogBody.self, from: data).requests
    }

    /// Requests in the log on one route pattern, e.g. `GET /api/v1/providers/{id}/variables`.
    package func requests(on route: String) async throws -> [LoggedRequest] {
        try await requests().filter { $0.route == route }
    }

    package func clearRequests() async throws {
        _ = try await admin("DELETE", "requests")
    }

    /// Changes one stored agent provider's fields in the sandbox state (keys as the state dump spells them).
    package func editProvider(id: String, _ changes: [String: Any]) async throws {
        let state = try await admin("GET", "state")
        guard var world = try JSONSerialization.jsonObject(with: state) as? [String: Any],
              var providers = world["providers"] as? [String: Any],
              var provider = providers[id] as? [String: Any] else {
            throw FixtureError("provider \(id) is not in the sandbox state")
        }
        provider.merge(changes) { _, new in new }
        providers[id] = provider
        world["providers"] = providers
        _ = try await admin("PUT", "state", body: JSONSerialization.data(withJSONObject: world))
    }

    private func admin(_ method: String, _ name: String, body: Data? = nil) async throws -> Data {
        guard let url = URL(string: server.url.absoluteString + "/_sandbox/" + name) else {
            throw FixtureError("bad admin URL")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw FixtureError("\(method) /_sandbox/\(name): \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }
}

/// One entry of `GET /_sandbox/requests`.
package struct LoggedRequest: Decodable, Sendable {
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
                                                                                   processingSeconds: 0),
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
