import ProvsyncModel

/// What to read: which repository, at which revision, under which paths, for which environment.
package struct ManifestRequest: Sendable {
    /// `--repo`; nil means the repository around `currentDirectory`.
    package var repository: String?
    /// `--ref`: any revision git accepts.
    package var ref: String
    /// `--worktree`: read files from the working tree instead of the commit.
    package var workingTree: Bool
    /// `--path`; empty means `paths:` from provsync.yaml, else `manifests/`. Not allowed with an environment,
    /// whose layers are its paths.
    package var paths: [String]
    package var currentDirectory: String
    package var limits: YAMLLimits
    /// `--env`: the environment of provsync.yaml to read. Required when the file defines environments, an
    /// error when it defines none.
    package var environment: String?
    /// A memo of an earlier load of this repository: files it holds are neither read nor decoded again.
    package var memo: DecodingMemo?
    /// Whether the load keeps a memo of what it decoded (`LoadedManifests.memo`), for a second load (`--base`).
    package var keepsMemo = false

    package init(
        repository: String? = nil, ref: String = "HEAD", workingTree: Bool = false, paths: [String] = [],
        currentDirectory: String, limits: YAMLLimits = .standard, environment: String? = nil
    ) {
        self.repository = repository
        self.ref = ref
        self.workingTree = workingTree
        self.paths = paths
        self.currentDirectory = currentDirectory
        self.limits = limits
        self.environment = environment
    }
}

/// Manifests read and validated from one source, with every diagnostic found.
package struct LoadedManifests: Sendable {
    package var manifestSet: ManifestSet
    /// The settings that hold: with an environment, its effective configuration (`effective(for:)`).
    package var configuration: ProjectConfiguration
    /// Every error and warning, sorted by file and position.
    package var diagnostics: [Diagnostic]
    /// How many manifest files were read.
    package var fileCount: Int
    /// The manifest paths that were read (repository-relative); with an environment, its layers in order.
    package var paths: [String] = []
    /// What was decoded, when the request asked to keep it.
    package var memo: DecodingMemo?

    /// True when no error was found: the manifests may be planned against.
    package var isValid: Bool { !diagnostics.hasErrors }
    /// The name of the environment read, nil when provsync.yaml defines none.
    package var environment: String? { configuration.selectedEnvironment?.name }
}
