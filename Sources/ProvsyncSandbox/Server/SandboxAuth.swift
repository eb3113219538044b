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

/// Who may call what: the store API and the admin side take only the bearer token; the agent API also takes the
/// password as Basic auth and lets anonymous callers read.
extension SandboxState {
    /// A 401 unless auth is off or `authorization` is `Bearer <token>`.
    func refuseWithoutBearer(_ authorization: String?) -> SandboxResponse? {
        guard let token = configuration.token, !Self.same(authorization, "Bearer \(token)") else { return nil }
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

    /// Bearer with the token, or Basic with the password (any user name), is an administrator.
    func identify(_ authorization: String?) -> Caller {
        guard let token = configuration.token else { return .administrator }
        guard let authorization else { return .user }
        // With an admin password of its own, the agent API does not know the store's token: a caller
        // sending it is anonymous, as with the real server.
        if Self.same(authorization, "Bearer \(token)") { return configuration.password == nil ? .administrator : .user }
        if authorization.hasPrefix("Basic ") {
            guard let decoded = Data(base64Encoded: String(authorization.dropFirst(6))) else { return .invalid }
            guard let text = String(data: decoded, encoding: .utf8) else { return .user }
            if let colon = text.firstIndex(of: ":"),
               Self.same(String(text[text.index(after: colon)...]), configuration.password ?? token) {
                return .administrator
            }
            return .user
        }
        return .user
    }
}
