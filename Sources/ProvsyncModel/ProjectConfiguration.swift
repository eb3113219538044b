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
    /// `environments:`, in the order written; empty when the file defines none.
    package var environments: [EnvironmentConfiguration]
    /// The environment these settings are the effective ones of (`effective(for:)`); nil for the top level.
    package var selectedEnvironment: EnvironmentConfiguration?

    package init(
        apiURL: String? = nil, storeURL: String? = nil, agentsURL: String? = nil,
        paths: [String]? = nil, parallelism: Int? = nil, prune: PruneRules? = nil,
        environments: [EnvironmentConfiguration] = []
    ) {
        self.apiURL = apiURL
        self.storeURL = storeURL
        self.agentsURL = agentsURL
        self.paths = paths
        self.parallelism = parallelism
        self.prune = prune
        self.environments = environments
    }

    /// The paths used when neither the command line nor the configuration names any.
    package static let defaultPaths = ["manifests/"]
    package static let parallelismRange = 1...256

    /// The environments' names, in the order written.
    package var environmentNames: [String] { environments.map(\.name) }

    package func environment(named name: String) -> EnvironmentConfiguration? {
        environments.first { $0.name == name }
    }

    /// The settings that hold in `environment`: its paths (the layers) replace the top-level ones; its `api:`,
    /// when it has one, replaces all three top-level URLs; its parallelism and prune rules, when set, replace
    /// the top-level ones.
    package func effective(for environment: EnvironmentConfiguration) -> ProjectConfiguration {
        var effective = self
        if environment.apiURL != nil || environment.storeURL != nil || environment.agentsURL != nil {
            effective.apiURL = environment.apiURL
            effective.storeURL = environment.storeURL
            effective.agentsURL = environment.agentsURL
        }
        effective.paths = environment.paths.map(\.value)
        effective.parallelism = environment.parallelism ?? parallelism
        effective.prune = environment.prune ?? prune
        effective.selectedEnvironment = environment
        return effective
    }
}
