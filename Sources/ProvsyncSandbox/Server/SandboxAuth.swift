import Foundation

/// Who is calling: an administrator (valid credentials, or auth off) or an ordinary user.
enum Caller: Sendable, Equatable {
    case administrator
    case user
    /// A Basic value that is not base64: rejected with 401.
    case invalid

    var id: String {
        switch self {
        case .administrator: "00000000-0000-4000-8000-000000000001"
        case .user, .invalid: "00000000-0000-4000-8000-000000000002"
        }
    }
}

/// Who may call what: the store API takes only its bearer token and the admin side only its own; the agent API
/// takes its password as Basic auth or its bearer token, and lets anonymous callers read.
extension SandboxState {
    /// A 401 unless the store API is open or `authorization` is `Bearer <store token>`.
    func refuseOnStore(_ authorization: String?) -> SandboxResponse? {
        Self.refuse(authorization, bearer: configuration.requiredStoreToken)
    }

    /// A 401 unless the admin side is open or `authorization` is `Bearer <admin token>`.
    func refuseOnAdmin(_ authorization: String?) -> SandboxResponse? {
        Self.refuse(authorization, bearer: configuration.adminToken)
    }

    private static func refuse(_ authorization: String?, bearer token: String?) -> SandboxResponse? {
        guard let token, !same(authorization, "Bearer \(token)") else { return nil }
        var response = SandboxResponse.detail(401, "Not authenticated")
        response.headers.append(("WWW-Authenticate", "Bearer"))
        return response
    }

    /// Compares credentials in time that depends only on their lengths.
    static func same(_ given: String?, _ expected: String) -> Bool {
        guard let given else { return false }
        let left = Array(given.utf8), right = Array(expected.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// On the agent API, Bearer with its token, or Basic with its password (any user name), is an administrator;
    /// any other credential is an ordinary user, as with the real server.
    func identify(_ authorization: String?) -> Caller {
        guard configuration.agentsAuthenticated else { return .administrator }
        guard let authorization else { return .user }
        if let token = configuration.acceptedAgentsToken, Self.same(authorization, "Bearer \(token)") {
            return .administrator
        }
        if authorization.hasPrefix("Basic ") {
            guard let decoded = Data(base64Encoded: String(authorization.dropFirst(6))) else { return .invalid }
            guard let text = String(data: decoded, encoding: .utf8) else { return .user }
            if let password = configuration.acceptedAgentsPassword, let colon = text.firstIndex(of: ":"),
               Self.same(String(text[text.index(after: colon)...]), password) {
                return .administrator
            }
        }
        return .user
    }
}
