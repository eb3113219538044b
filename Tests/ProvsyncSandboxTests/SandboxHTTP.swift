import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import ProvsyncSandbox

/// A JSON answer from the sandbox, read over real loopback HTTP.
struct HTTPAnswer {
    var status: Int
    var headers: [String: String]
    var body: Data

    var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
    /// The `detail` of an error body.
    var detail: String? { object["detail"] as? String }
    /// The first validation issue of a 422 body.
    var firstIssue: [String: Any] { (object["detail"] as? [[String: Any]])?.first ?? [:] }
}

/// Talks to a sandbox started in this process, through URLSession.
struct SandboxHTTP {
    let server: SandboxServer
    var authorization: String?

    static func start(_ configuration: SandboxConfiguration = SandboxConfiguration()) async throws -> SandboxHTTP {
        SandboxHTTP(server: try await SandboxServer.start(configuration))
    }

    func call(_ method: String, _ path: String, json: Any? = nil, raw: Data? = nil, contentType: String? = nil,
              authorization: String? = nil) async throws -> HTTPAnswer {
        var request = URLRequest(url: URL(string: server.url.absoluteString + path)!)
        request.timeoutInterval = 120  // a hang guard, not a measure of time
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let raw {
            request.httpBody = raw
            if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        }
        if let auth = authorization ?? adminAuthorization(path) ?? self.authorization {
            request.setValue(auth, forHTTPHeaderField: "Authorization")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            headers[String(describing: name).lowercased()] = String(describing: value)
        }
        return HTTPAnswer(status: http.statusCode, headers: headers, body: data)
    }

    /// The admin side wants the sandbox's token, when it has one.
    private func adminAuthorization(_ path: String) -> String? {
        guard path.hasPrefix("/_sandbox/"), let token = server.token else { return nil }
        return "Bearer \(token)"
    }

    func stop() async {
        await server.stop()
    }
}
