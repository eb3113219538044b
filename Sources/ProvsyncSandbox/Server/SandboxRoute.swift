/// A request as the sandbox's handlers see it, independent of the HTTP server library.
struct SandboxRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var authorization: String?
    var host: String?
    var body: [UInt8]

    var json: SandboxJSON? { SandboxJSON.parse(Data(body)) }
}

/// What a handler answers: a status, extra headers and a JSON body (or none).
struct SandboxResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8]?

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
    case listProviders
    case createProvider
    case previewProvider
    case getProvider(id: String)
    case patchProvider(id: String)
    case deleteProvider(id: String)
    case getVariables(id: String)
    case putVariables(id: String)
    case admin(String)

    init?(method: String, path: String) {
        let parts = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
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
        case ("GET", 3) where parts == ["api", "v1", "providers"]: self = .listProviders
        case ("POST", 3) where parts == ["api", "v1", "providers"]: self = .createProvider
        case ("POST", 4) where parts.prefix(4) == ["api", "v1", "providers", "preview"]: self = .previewProvider
        case ("GET", 4) where parts.prefix(3) == ["api", "v1", "providers"]: self = .getProvider(id: parts[3])
        case ("PATCH", 4) where parts.prefix(3) == ["api", "v1", "providers"]: self = .patchProvider(id: parts[3])
        case ("DELETE", 4) where parts.prefix(3) == ["api", "v1", "providers"]: self = .deleteProvider(id: parts[3])
        case ("GET", 5) where parts.prefix(3) == ["api", "v1", "providers"] && parts[4] == "variables":
            self = .getVariables(id: parts[3])
        case ("PUT", 5) where parts.prefix(3) == ["api", "v1", "providers"] && parts[4] == "variables":
            self = .putVariables(id: parts[3])
        case (_, 2...) where parts[0] == "_sandbox": self = .admin(parts.dropFirst().joined(separator: "/"))
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
        case .listProviders: "GET /api/v1/providers"
        case .createProvider: "POST /api/v1/providers"
        case .previewProvider: "POST /api/v1/providers/preview"
        case .getProvider: "GET /api/v1/providers/{id}"
        case .patchProvider: "PATCH /api/v1/providers/{id}"
        case .deleteProvider: "DELETE /api/v1/providers/{id}"
        case .getVariables: "GET /api/v1/providers/{id}/variables"
        case .putVariables: "PUT /api/v1/providers/{id}/variables"
        case .admin(let name): "ADMIN /_sandbox/\(name)"
        }
    }

    /// Which side of the sandbox answers the route.
    enum Side: Sendable, Equatable {
        case store, agents, admin
    }

    var side: Side {
        switch self {
        case .listInstalled, .install, .upgrade, .downgrade, .uninstall, .versions: .store
        case .listProviders, .createProvider, .previewProvider, .getProvider, .patchProvider, .deleteProvider,
             .getVariables, .putVariables: .agents
        case .admin: .admin
        }
    }

    var isAdmin: Bool { side == .admin }

    /// Requests that change state (preview changes nothing, but is a POST the agent API authorises as a write).
    var isWrite: Bool {
        switch self {
        case .install, .upgrade, .downgrade, .uninstall, .createProvider, .previewProvider, .patchProvider,
             .deleteProvider, .putVariables: true
        default: false
        }
    }
}
