import Foundation
import ProvsyncModel

/// The credentials sent to both APIs, taken only from the environment. The secret is kept private:
/// `description`, `debugDescription` and reflection name where it came from, never its value.
package struct Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// How the caller authenticates.
    package enum Scheme: Sendable, Hashable {
        case none
        /// `PROVSYNC_TOKEN`.
        case bearer
        /// `PROVSYNC_USERNAME` / `PROVSYNC_PASSWORD`.
        case basic(username: String)
    }

    package let scheme: Scheme
    /// The `Authorization` header value; nil without credentials.
    let authorization: String?
    /// Why no credentials were taken, when the environment holds half of a pair.
    private let note: String?

    private init(scheme: Scheme, authorization: String?, note: String? = nil) {
        self.scheme = scheme
        self.authorization = authorization
        self.note = note
    }

    /// No credentials: reads of the agent API work, writes are refused.
    package static let none = Credentials(scheme: .none, authorization: nil)

    /// A bearer token.
    package static func bearer(_ token: String) -> Credentials {
        Credentials(scheme: .bearer, authorization: "Bearer \(token)")
    }

    /// Basic auth; the agent API checks only the password.
    package static func basic(username: String, password: String) -> Credentials {
        let encoded = Data("\(username):\(password)".utf8).base64EncodedString()
        return Credentials(scheme: .basic(username: username), authorization: "Basic \(encoded)")
    }

    /// `PROVSYNC_TOKEN` (Bearer), else `PROVSYNC_USERNAME`/`PROVSYNC_PASSWORD` (Basic; the user name may be
    /// empty), else none. Empty values count as unset.
    package init(environment: [String: String]) {
        func value(_ name: String) -> String? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            return text
        }
        if let token = value("PROVSYNC_TOKEN") {
            self = .bearer(token)
        } else if let password = value("PROVSYNC_PASSWORD") {
            self = .basic(username: value("PROVSYNC_USERNAME") ?? "", password: password)
        } else if value("PROVSYNC_USERNAME") != nil {
            self = Credentials(scheme: .none, authorization: nil,
                               note: "PROVSYNC_USERNAME is set but PROVSYNC_PASSWORD is not")
        } else {
            self = .none
        }
    }

    /// Whether any credentials are sent.
    package var isEmpty: Bool { authorization == nil }

    package var description: String {
        switch scheme {
        case .none: "no credentials" + (note.map { " (\($0))" } ?? "")
        case .bearer: "bearer token (from PROVSYNC_TOKEN)"
        case .basic(let username):
            "basic auth as \"\(username)\" (from PROVSYNC_USERNAME/PROVSYNC_PASSWORD)"
        }
    }

    package var debugDescription: String { "Credentials(\(description))" }

    package var customMirror: Mirror {
        Mirror(self, children: ["scheme": description], displayStyle: .struct)
    }

    /// Advice for a 401 or 403 answer from `api`, naming the environment variables. The store API documents
    /// only bearer tokens, so Basic credentials there get their own advice.
    func advice(for api: ProviderAPI) -> String {
        switch (scheme, api) {
        case (.none, _):
            "no credentials were given: set PROVSYNC_TOKEN, or PROVSYNC_USERNAME and PROVSYNC_PASSWORD"
                + (note.map { " (\($0))" } ?? "")
        case (.bearer, _):
            "check the token in PROVSYNC_TOKEN; credentials come from PROVSYNC_TOKEN or "
                + "PROVSYNC_USERNAME/PROVSYNC_PASSWORD"
        case (.basic, .store):
            "the store API takes a bearer token: set PROVSYNC_TOKEN; PROVSYNC_USERNAME/PROVSYNC_PASSWORD "
                + "serve the agent API only"
        case (.basic, .agents):
            "check PROVSYNC_USERNAME/PROVSYNC_PASSWORD; credentials come from PROVSYNC_TOKEN or "
                + "PROVSYNC_USERNAME/PROVSYNC_PASSWORD"
        }
    }
}
