import ProvsyncModel

/// What to read: which repository, at which revision, under which paths.
package struct ManifestRequest: Sendable {
    /// `--repo`; nil means the repository around `currentDirectory`.
    package var repository: String?
    /// `--ref`: any revision git accepts.
    package var ref: String
    /// `--worktree`: read files from the working tree instead of the commit.
    package var workingTree: Bool
    /// `--path`; empty means `paths:` from provsync.yaml, else `manifests/`.
    package var paths: [String]
    package var currentDirectory: String
    package var limits: YAMLLimits

    package init(
        repository: String? = nil, ref: String = "HEAD", workingTree: Bool = false, paths: [String] = [],
        currentDirectory: String, limits: YAMLLimits = .standard
    ) {
        self.repository = repository
        self.ref = ref
        self.workingTree = workingTree
        self.paths = paths
        self.currentDirectory = currentDirectory
        self.limits = limits
    }
}

/// Manifests read and validated from one source, with every diagnostic found.
package struct LoadedManifests: Sendable {
    package var manifestSet: ManifestSet
    package var configuration: ProjectConfiguration
    /// Every error and warning, sorted by file and position.
    package var diagnostics: [Diagnostic]
    /// How many manifest files were read.
    package var fileCount: Int

    /// True when no error was found: the manifests may be planned against.
    package var isValid: Bool { !diagnostics.hasErrors }
}

/// Reads manifests from a commit (or the working tree), decodes and validates them.
package enum ManifestLoader {
    package static func load(_ request: ManifestRequest) throws(DiagnosticsError) -> LoadedManifests {
        let start = request.repository.map { absolute($0, from: request.currentDirectory) } ?? request.currentDirectory
        let repository = try GitRepository(discoveringFrom: start)
        let tree: any ManifestTree
        let source: ManifestSource
        if request.workingTree {
            guard let root = repository.workingDirectory else {
                throw DiagnosticsError(.error(
                    "\(repository.displayPath) is a bare repository and has no working tree; drop --worktree"
                ))
            }
            tree = WorkingTree(root: root)
            source = ManifestSource(repository: repository.displayPath, ref: "working tree",
                                    commit: repository.headSHA(), isWorkingTree: true)
        } else {
            let commit = try repository.commit(for: request.ref)
            tree = commit
            source = ManifestSource(repository: repository.displayPath, ref: request.ref,
                                    commit: commit.sha, isWorkingTree: false)
        }
        return try load(from: tree, source: source, request: request)
    }

    static func load(
        from tree: any ManifestTree, source: ManifestSource, request: ManifestRequest
    ) throws(DiagnosticsError) -> LoadedManifests {
        var diagnostics: [Diagnostic] = []
        var configuration = ProjectConfiguration()
        let configurationFile = ManifestFileCollector.configurationFile
        switch try tree.kind(of: configurationFile) {
        case .file:
            let decoded = ConfigurationDecoder.decode(
                file: configurationFile, bytes: try tree.contents(of: configurationFile), limits: request.limits
            )
            configuration = decoded.0
            diagnostics += decoded.1
        case .symlink:
            diagnostics.append(.warning("symlink not followed; provsync.yaml must be a regular file, so its "
                                        + "settings are not used", at: .file(configurationFile)))
        default:
            break
        }
        let paths = request.paths.isEmpty ? configuration.paths ?? ProjectConfiguration.defaultPaths : request.paths
        let revision = source.isWorkingTree ? "the working tree" : "\(source.ref) (\(source.shortCommit ?? "?"))"
        let escaping = paths.filter { $0.split(separator: "/").contains("..") || $0.hasPrefix("/") }
        for path in escaping {
            diagnostics.append(.error("manifest path '\(path)' must be relative and inside the repository"))
        }
        let collected = try ManifestFileCollector.collect(
            paths: paths.filter { !escaping.contains($0) }, from: tree, at: revision, limits: request.limits
        )
        diagnostics += collected.diagnostics
        var manifests: [Manifest] = []
        var identities: [ManifestIdentity] = []
        for file in collected.files {
            let decoded = ManifestDecoder.decode(file: file.path, bytes: file.bytes, limits: request.limits)
            manifests += decoded.manifests
            identities += decoded.identities
            diagnostics += decoded.diagnostics
        }
        diagnostics += duplicateIdentities(in: identities)
        let sorted = Diagnostic.sortedByLocation(diagnostics)
        return LoadedManifests(
            manifestSet: ManifestSet(source: source, manifests: manifests,
                                     warnings: sorted.filter { $0.severity == .warning }),
            configuration: configuration,
            diagnostics: sorted,
            fileCount: collected.files.count
        )
    }

    /// One error for each document whose identity an earlier one already has, naming both places.
    static func duplicateIdentities(in identities: [ManifestIdentity]) -> [Diagnostic] {
        var first: [ResourceAddress: SourceLocation] = [:]
        var diagnostics: [Diagnostic] = []
        for identity in identities {
            if let earlier = first[identity.address] {
                diagnostics.append(.error("\(identity.address) is defined twice: here and at \(earlier)",
                                          at: identity.location))
            } else {
                first[identity.address] = identity.location
            }
        }
        return diagnostics
    }

    private static func absolute(_ path: String, from directory: String) -> String {
        if path.hasPrefix("/") { return path }
        return directory.hasSuffix("/") ? directory + path : "\(directory)/\(path)"
    }
}
