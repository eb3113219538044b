/// A request as the sandbox's handlers see it, independent of the HTTP server library.
struct SandboxRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var authorization: String?
    var host: String?
    var contentType: String? = nil
    var body: [UInt8]

    var json: SandboxJSON? { SandboxJSON.parse(Data(body)) }
}

/// What a handler answers: a status, extra headers and a JSON body (or none).
struct SandboxResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8]?
    /// Sent with a body (also an empty one).
    var contentType = "application/json"

    static func json(_ status: Int, _ value: SandboxJSON) -> SandboxResponse {
        SandboxResponse(status: status, body: JSONWriter.bytes(value))
    }

    static func json<Value: Encodable>(_ status: Int, _ value: Value) -> SandboxResponse {
        SandboxResponse(status: status, body: (try? [UInt8](SandboxJSON.encode(value))) ?? Array("null".utf8))
    }

    /// `{"detail": message}`, the common error body of both APIs.
    static func detail(_ status: Int, _ message: String) -> SandboxResponse {
        json(status, ["detail": message])
    }

    static func validation(_ issues: [ValidationIssue]) -> SandboxResponse {
        json(422, ["detail": issues])
    }

    static let noContent = SandboxResponse(status: 204)

    /// FastAPI's bare 500: text/plain `Internal Server Error`.
    static let internalError = SandboxResponse(status: 500, body: Array("Internal Server Error".utf8),
                                               contentType: "text/plain; charset=utf-8")
}

import Foundation

/// The endpoints of both APIs and the admin side, matched from a method and a path.
enum SandboxRoute: Sendable, Equatable {
    case listInstalled
    case install
    case upgrade(org: String, name: String)
    case downgrade(org: String, name: String)
    case uninstall(org: String, name: String)
    case versions(org: String, name: String)
    /// `GET /providers/{org}/{name}`: the catalog's provider.
    case storeProvider(org: String, name: String)
    case listProviders
    case createProvider
    case previewProvider
    case getProvider(id: String)
    case patchProvider(id: String)
    case deleteProvider(id: String)
    case getVariables(id: String)
    case putVariables(id: String)
    case providerByLocation(location: String)
    /// A known agent API path with a method it does not take (405).
    case methodNotAllowed
    /// `GET /api/v1/openapi.json`, readable without auth.
    case openAPI
    case admin(String)

    init?(method: String, path: String) {
        let parts = Self.segments(path)
        switch (method, parts.count) {
        case ("GET", 2) where parts == ["providers", "installed"]: self = .listInstalled
        case ("POST", 2) where parts == ["providers", "install"]: self = .install
        case ("POST", 5) where parts[0] == "providers" && parts[1] == "installed" && parts[4] == "upgrade":
            self = .upgrade(org: parts[2], name: parts[3])
        case ("POST", 5) where parts[0] == "providers" && parts[1] == "installed" && parts[4] == "downgrade":
            self = .downgrade(org: parts[2], name: parts[3])
        case ("DELETE", 4) where parts[0] == "providers" && parts[1] == "installed":
            self = .uninstall(org: parts[2], name: parts[3])
        case ("GET", 4) where parts[0] == "providers" && parts[3] == "versions":
            self = .versions(org: parts[1], name: parts[2])
        case ("GET", 3) where parts[0] == "providers": self = .storeProvider(org: parts[1], name: parts[2])
        case ("GET", 3) where parts == ["api", "v1", "openapi.json"]: self = .openAPI
        case (_, 3...) where parts.prefix(3) == ["api", "v1", "providers"]:
            guard let route = Self.agentRoute(method: method, path: path, parts: parts) else { return nil }
            self = route
        case (_, 2...) where parts[0] == "_sandbox": self = .admin(parts.dropFirst().joined(separator: "/"))
        default: return nil
        }
    }

    /// The path's segments after the one normalisation every route is decided by: the query is cut off, each
    /// segment is percent-decoded, and empty, `.` and `..` segments are resolved as RFC 3986 removes them, so
    /// `//_sandbox/state`, `/./%5Fsandbox/state` and `/_sandbox/state?x=1` are all the admin route.
    static func segments(_ path: String) -> [String] {
        let raw = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var parts: [String] = []
        for piece in raw.split(separator: "/") {
            let segment = String(piece).removingPercentEncoding ?? String(piece)
            switch segment {
            case "", ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(segment)
            }
        }
        return parts
    }

    /// The provider routes of the agent API; a wrong method on a known path is `methodNotAllowed`.
    private static func agentRoute(method: String, path: String, parts: [String]) -> SandboxRoute? {
        let byLocation = "/api/v1/providers/by-location/"
        if let range = path.range(of: byLocation), range.lowerBound == path.startIndex {
            let raw = String(path[range.upperBound...])
            guard method == "GET" else { return .methodNotAllowed }
            return .providerByLocation(location: raw.removingPercentEncoding ?? raw)
        }
        switch (method, parts.count) {
        case ("GET", 3): return .listProviders
        case ("POST", 3): return .createProvider
        case (_, 3): return .methodNotAllowed
        case ("POST", 4) where parts[3] == "preview": return .previewProvider
        case ("GET", 4): return .getProvider(id: parts[3])
        case ("PATCH", 4): return .patchProvider(id: parts[3])
        case ("DELETE", 4): return .deleteProvider(id: parts[3])
        case (_, 4): return .methodNotAllowed
        case ("GET", 5) where parts[4] == "variables": return .getVariables(id: parts[3])
        case ("PUT", 5) where parts[4] == "variables": return .putVariables(id: parts[3])
        case (_, 5) where parts[4] == "variables": return .methodNotAllowed
        default: return nil
        }
    }

    /// The route's template, e.g. `POST /providers/installed/{org}/{name}/upgrade`: the key for write
    /// counts and fault rules.
    var pattern: String {
        switch self {
        case .listInstalled: "GET /providers/installed"
        case .install: "POST /providers/install"
        case .upgrade: "POST /providers/installed/{org}/{name}/upgrade"
        case .downgrade: "POST /providers/installed/{org}/{name}/downgrade"
        case .uninstall: "DELETE /providers/installed/{org}/{name}"
        case .versions: "GET /providers/{org}/{name}/versions"
        case .storeProvider: "GET /providers/{org}/{name}"
        case .listProviders: "GET /api/v1/providers"
        case .createProvider: "POST /api/v1/providers"
        case .previewProvider: "POST /api/v1/providers/preview"
        case .getProvider: "GET /api/v1/providers/{id}"
        case .patchProvider: "PATCH /api/v1/providers/{id}"
        case .deleteProvider: "DELETE /api/v1/providers/{id}"
        case .getVariables: "GET /api/v1/providers/{id}/variables"
        case .putVariables: "PUT /api/v1/providers/{id}/variables"
        case .providerByLocation: "GET /api/v1/providers/by-location/{location}"
        case .methodNotAllowed: "405 /api/v1/providers"
        case .openAPI: "GET /api/v1/openapi.json"
        case .admin(let name): "ADMIN /_sandbox/\(name)"
        }
    }

    /// Which side of the sandbox answers the route.
    enum Side: Sendable, Equatable {
        case store, agents, admin
    }

    var side: Side {
        switch self {
        case .listInstalled, .install, .upgrade, .downgrade, .uninstall, .versions, .storeProvider: .store
        case .listProviders, .createProvider, .previewProvider, .getProvider, .patchProvider, .deleteProvider,
             .getVariables, .putVariables, .providerByLocation, .methodNotAllowed, .openAPI: .agents
        case .admin: .admin
        }
    }

    var isAdmin: Bool { side == .admin }

    /// Agent API requests an anonymous caller may not make (403): writes, preview and both variables calls.
    var needsAdministrator: Bool {
        switch self {
        case .createProvider, .previewProvider, .patchProvider, .deleteProvider, .getVariables, .putVariables: true
        default: false
        }
    }

    /// Requests that change state (preview changes nothing, but is a POST the agent API authorises as a write).
    var isWrite: Bool {
        switch self {
        case .install, .upgrade, .downgrade, .uninstall, .createProvider, .previewProvider, .patchProvider,
             .deleteProvider, .putVariables: true
        default: false
        }
    }
}
