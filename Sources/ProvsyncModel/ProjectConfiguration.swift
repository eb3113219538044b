/// Settings from `provsync.yaml` at the repository root. Command-line options win over these.
package struct ProjectConfiguration: Sendable, Hashable, Codable {
    /// Base URL of both APIs.
    package var apiURL: String?
    /// Base URL of the store API, overriding `apiURL` for it.
    package var storeURL: String?
    /// Base URL of the agent API, overriding `apiURL` for it.
    package var agentsURL: String?
    /// Manifest paths, relative to the repository root.
    package var paths: [String]?
    package var parallelism: Int?
    /// Which live objects without a manifest are deleted; nil: none are.
    package var prune: PruneRules?

    package init(
        apiURL: String? = nil, storeURL: String? = nil, agentsURL: String? = nil,
        paths: [String]? = nil, parallelism: Int? = nil, prune: PruneRules? = nil
    ) {
        self.apiURL = apiURL
        self.storeURL = storeURL
        self.agentsURL = agentsURL
        self.paths = paths
        self.parallelism = parallelism
        self.prune = prune
    }

    /// The paths used when neither the command line nor the configuration names any.
    package static let defaultPaths = ["manifests/"]
    package static let parallelismRange = 1...256
}
