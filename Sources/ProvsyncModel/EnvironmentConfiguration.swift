/// One entry of `environments:` in `provsync.yaml`: a platform with its own APIs, its manifest layers and,
/// optionally, its own parallelism, prune rules and credential variables.
package struct EnvironmentConfiguration: Sendable, Hashable, Codable {
    /// The name `--env` selects it by (`[a-z0-9][a-z0-9_-]*`).
    package var name: String
    /// Where the name is written in `provsync.yaml`.
    package var location: SourceLocation
    /// The environment's `api:`: base URL of both APIs, and of each one. When any is set, none of the
    /// top-level URLs apply.
    package var apiURL: String?
    package var storeURL: String?
    package var agentsURL: String?
    /// The manifest paths, as layers in order: a later layer patches what an earlier one defines.
    package var paths: [Located<String>]
    package var parallelism: Int?
    /// The environment's own `prune:`, replacing the top-level one.
    package var prune: PruneRules?
    package var credentials: EnvironmentCredentials

    package init(
        name: String, location: SourceLocation, apiURL: String? = nil, storeURL: String? = nil,
        agentsURL: String? = nil, paths: [Located<String>] = [], parallelism: Int? = nil,
        prune: PruneRules? = nil, credentials: EnvironmentCredentials = EnvironmentCredentials()
    ) {
        self.name = name
        self.location = location
        self.apiURL = apiURL
        self.storeURL = storeURL
        self.agentsURL = agentsURL
        self.paths = paths
        self.parallelism = parallelism
        self.prune = prune
        self.credentials = credentials
    }

    /// Whether `name` may name an environment: lower-case letters, digits, `_` and `-`, not starting with
    /// `_` or `-`.
    package static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLowerAlphanumeric(first) else { return false }
        return name.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// `credentials:` of an environment: the NAMES of the environment variables holding its secrets (never the
/// secrets themselves); nil where the default `PROVSYNC_*` variable applies.
package struct EnvironmentCredentials: Sendable, Hashable, Codable {
    package var storeToken: String?
    package var agentsToken: String?
    package var agentsUsername: String?
    package var agentsPassword: String?

    package init(storeToken: String? = nil, agentsToken: String? = nil, agentsUsername: String? = nil,
                 agentsPassword: String? = nil) {
        self.storeToken = storeToken
        self.agentsToken = agentsToken
        self.agentsUsername = agentsUsername
        self.agentsPassword = agentsPassword
    }

    /// Whether `name` may name a credential variable: `[A-Z_][A-Z0-9_]*`.
    package static func isValidVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }
}
