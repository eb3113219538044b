import Foundation
import ProvsyncModel

/// One API's credentials, taken only from the environment. The secret is kept private: `description`,
/// `debugDescription` and reflection name where it came from, never its value.
package struct Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// How the caller authenticates.
    package enum Scheme: Sendable, Hashable {
        case none
        case bearer
        /// The agent API checks only the password.
        case basic(username: String)
    }

    package let scheme: Scheme
    /// The `Authorization` header value; nil without credentials.
    let authorization: String?
    /// The variables the credentials came from (`PROVSYNC_STORE_TOKEN`); nil when made in code or absent.
    package let origin: String?
    /// The variables that could have held them, in precedence order, for advice; empty: the standard ones.
    private let sources: [CredentialSource]
    /// Why no credentials were taken, when the environment holds half of a pair or a named variable is unset.
    private let note: String?

    private init(scheme: Scheme, authorization: String?, origin: String? = nil, sources: [CredentialSource] = [],
                 note: String? = nil) {
        self.scheme = scheme
        self.authorization = authorization
        self.origin = origin
        self.sources = sources
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

    /// The first of `sources` the environment holds (empty values count as unset), else none.
    package init(from sources: [CredentialSource], environment: [String: String]) {
        func value(_ name: String?) -> String? {
            guard let name, let text = environment[name], !text.isEmpty else { return nil }
            return text
        }
        var note: String?
        for source in sources {
            switch source {
            case .bearer(let variable):
                if let token = value(variable) {
                    self = Credentials(scheme: .bearer, authorization: Credentials.bearer(token).authorization,
                                       origin: variable, sources: sources)
                    return
                }
            case .basic(let usernameVariable, let passwordVariable):
                if let password = value(passwordVariable) {
                    let username = value(usernameVariable) ?? ""
                    self = Credentials(scheme: .basic(username: username),
                                       authorization: Credentials.basic(username: username, password: password).authorization,
                                       origin: source.names, sources: sources)
                    return
                }
                if note == nil, let usernameVariable, value(usernameVariable) != nil {
                    note = "\(usernameVariable) is set but \(passwordVariable) is not"
                }
            }
        }
        self = Credentials(scheme: .none, authorization: nil, sources: sources, note: note)
    }

    /// The credentials both APIs fall back to: `PROVSYNC_TOKEN` (Bearer), else `PROVSYNC_USERNAME` /
    /// `PROVSYNC_PASSWORD` (Basic; the user name may be empty), else none.
    package init(environment: [String: String]) {
        self.init(from: CredentialVariables.shared, environment: environment)
    }

    /// Whether any credentials are sent.
    package var isEmpty: Bool { authorization == nil }

    /// What a saved plan's key is derived from when no `PROVSYNC_PLAN_KEY` is set: the header's bytes.
    var keyMaterial: [UInt8]? { authorization.map { Array($0.utf8) } }

    package var description: String {
        let from = origin.map { " (from \($0))" } ?? ""
        return switch scheme {
        case .none: "no credentials" + (note.map { " (\($0))" } ?? "")
        case .bearer: "bearer token" + from
        case .basic(let username): "basic auth as \"\(username)\"" + from
        }
    }

    package var debugDescription: String { "Credentials(\(description))" }

    package var customMirror: Mirror {
        Mirror(self, children: ["scheme": description], displayStyle: .struct)
    }

    /// Advice for a 401 or 403 answer from `api`, naming the API and the variables that apply to it. The store
    /// API documents only bearer tokens, so Basic credentials there get their own advice.
    func advice(for api: ProviderAPI) -> String {
        let candidates = sources.isEmpty ? CredentialVariables.standard[api] : sources
        let list = candidates.map(\.advice).joined(separator: ", or ")
        let comeFrom = "credentials for \(api.displayName) come from \(list)"
        switch (scheme, api) {
        case (.none, _):
            return "no credentials for \(api.displayName) were given: set \(list)" + (note.map { " (\($0))" } ?? "")
        case (.bearer, _):
            return "check the token in \(origin ?? "the token variable"); " + comeFrom
        case (.basic, .store):
            let tokens = candidates.compactMap { if case .bearer(let name) = $0 { name } else { nil } }
            return "the store API takes a bearer token: set \(tokens.joined(separator: " or ")); "
                + "\(origin ?? "a user name and password") serve the agent API only"
        case (.basic, .agents):
            return "check \(origin ?? "the password"); " + comeFrom
        }
    }
}

/// Each API's credentials.
package struct APICredentials: Sendable, Hashable, CustomStringConvertible {
    package var store: Credentials
    package var agents: Credentials

    package init(store: Credentials, agents: Credentials) {
        self.store = store
        self.agents = agents
    }

    /// The same credentials for both APIs.
    package init(_ both: Credentials) {
        self.init(store: both, agents: both)
    }

    /// Each API's credentials by `variables`' precedence.
    package init(variables: CredentialVariables = .standard, environment: [String: String]) {
        self.init(store: Credentials(from: variables.store, environment: environment),
                  agents: Credentials(from: variables.agents, environment: environment))
    }

    package subscript(api: ProviderAPI) -> Credentials {
        switch api {
        case .store: store
        case .agents: agents
        }
    }

    /// Whether neither API gets credentials.
    package var isEmpty: Bool { store.isEmpty && agents.isEmpty }

    /// What a saved plan's key is derived from without `PROVSYNC_PLAN_KEY`: both headers; nil without any.
    package var keyMaterial: (source: String, secret: [UInt8])? {
        guard !isEmpty else { return nil }
        let secret = (store.keyMaterial ?? []) + [0] + (agents.keyMaterial ?? [])
        var origins: [String] = []
        for origin in [store.origin, agents.origin].compactMap({ $0 }) where !origins.contains(origin) {
            origins.append(origin)
        }
        return (origins.isEmpty ? "the API credentials" : origins.joined(separator: " + "), secret)
    }

    package var description: String { "store API: \(store); agent API: \(agents)" }
}

/// One way an API's credentials may be given, by the names of the variables holding them.
package enum CredentialSource: Sendable, Hashable {
    case bearer(token: String)
    /// The user name is optional (the agent API checks only the password).
    case basic(username: String?, password: String)

    /// `PROVSYNC_TOKEN`, `PROVSYNC_USERNAME/PROVSYNC_PASSWORD`.
    var names: String {
        switch self {
        case .bearer(let token): token
        case .basic(let username, let password): username.map { "\($0)/\(password)" } ?? password
        }
    }

    /// How advice names it: `PROVSYNC_TOKEN`, `PROVSYNC_USERNAME and PROVSYNC_PASSWORD`.
    var advice: String {
        switch self {
        case .bearer(let token): token
        case .basic(let username, let password): username.map { "\($0) and \(password)" } ?? password
        }
    }

    var variables: [String] {
        switch self {
        case .bearer(let token): [token]
        case .basic(let username, let password): [username, password].compactMap { $0 }
        }
    }
}

/// Which environment variables hold each API's credentials, in precedence order: the per-API ones, then
/// `PROVSYNC_TOKEN` and `PROVSYNC_USERNAME` / `PROVSYNC_PASSWORD` for both; or, for an environment of
/// `provsync.yaml` that names its own variables for an API, only those.
package struct CredentialVariables: Sendable, Hashable {
    package var store: [CredentialSource]
    package var agents: [CredentialSource]

    /// The fallback of both APIs.
    static let shared: [CredentialSource] = [
        .bearer(token: "PROVSYNC_TOKEN"), .basic(username: "PROVSYNC_USERNAME", password: "PROVSYNC_PASSWORD"),
    ]

    /// `PROVSYNC_STORE_TOKEN`; `PROVSYNC_AGENTS_TOKEN` or `PROVSYNC_AGENTS_USERNAME` / `PROVSYNC_AGENTS_PASSWORD`;
    /// then the shared ones.
    package static let standard = CredentialVariables(
        store: [.bearer(token: "PROVSYNC_STORE_TOKEN")] + shared,
        agents: [.bearer(token: "PROVSYNC_AGENTS_TOKEN"),
                 .basic(username: "PROVSYNC_AGENTS_USERNAME", password: "PROVSYNC_AGENTS_PASSWORD")] + shared
    )

    /// An environment's `credentials:`: for an API it names variables for, those only (so one job holding
    /// several environments' secrets never sends one environment's to another); the standard ones otherwise.
    package init(named: EnvironmentCredentials) {
        let store: [CredentialSource] = named.storeToken.map { [.bearer(token: $0)] } ?? []
        var agents: [CredentialSource] = named.agentsToken.map { [.bearer(token: $0)] } ?? []
        if let password = named.agentsPassword {
            agents.append(.basic(username: named.agentsUsername, password: password))
        }
        self.init(store: store.isEmpty ? Self.standard.store : store,
                  agents: agents.isEmpty ? Self.standard.agents : agents)
    }

    package init(store: [CredentialSource], agents: [CredentialSource]) {
        self.store = store
        self.agents = agents
    }

    package subscript(api: ProviderAPI) -> [CredentialSource] {
        switch api {
        case .store: store
        case .agents: agents
        }
    }

    /// Every value these variables hold, and the headers made of them, for output to hide (also those no
    /// API is sent, such as a password beside a token).
    package func secrets(in environment: [String: String]) -> SecretValues {
        (store + agents).reduce(SecretValues()) { secrets, source in
            switch source {
            case .bearer(let token):
                secrets.union(.credentials(token: environment[token], username: nil, password: nil))
            case .basic(let username, let password):
                secrets.union(.credentials(token: nil, username: username.flatMap { environment[$0] },
                                           password: environment[password]))
            }
        }
    }
}
