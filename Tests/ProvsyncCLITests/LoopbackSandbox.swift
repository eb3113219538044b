import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ProvsyncSandbox

/// A sandbox started in the test process, for commands run with `--api-url`, with its admin side at hand.
struct LoopbackSandbox {
    let server: SandboxServer

    static func start(_ configuration: SandboxConfiguration = SandboxConfiguration(pendingSeconds: 0,
                                                                                  processingSeconds: 0)) async throws -> LoopbackSandbox {
        LoopbackSandbox(server: try await SandboxServer.start(configuration))
    }

    var url: String { server.url.absoluteString }

    /// Sends a request and returns the status and the decoded JSON body.
    @discardableResult
    func call(_ method: String, _ path: String, json: Any? = nil) async throws -> (status: Int, body: Any?) {
        var request = URLRequest(url: URL(string: url + path)!)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0,
                try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    /// Write requests that changed state, in total.
    func appliedWrites() async throws -> Int {
        (try await call("GET", "/_sandbox/writes").body as? [String: Any])?["total_applied"] as? Int ?? -1
    }

    func receivedWrites() async throws -> Int {
        (try await call("GET", "/_sandbox/writes").body as? [String: Any])?["total_received"] as? Int ?? -1
    }

    /// The request log: route, status, subject and injected fault of each request.
    func requests() async throws -> [[String: Any]] {
        ((try await call("GET", "/_sandbox/requests").body as? [String: Any])?["requests"] as? [[String: Any]]) ?? []
    }

    func stop() async {
        await server.stop()
    }
}
