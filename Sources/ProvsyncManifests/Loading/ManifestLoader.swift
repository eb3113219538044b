import ProvsyncModel
import ProvsyncSupport

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
    /// The manifest paths that were read (repository-relative).
    package var paths: [String] = []

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
            tree = WorkingTree(root: root, repository: repository)
            source = ManifestSource(repository: repository.displayPath, ref: "working tree",
                                    commit: repository.headSHA(), isWorkingTree: true)
        } else {
            let commit = try repository.commit(for: request.ref)
            tree = commit
            source = ManifestSource(repository: repository.displayPath, ref: request.ref,
                                    commit: commit.sha, isWorkingTree: false)
        }
        var loaded = try load(from: tree, source: source, request: request)
        if !request.workingTree && request.ref == "HEAD", let warning = uncommittedWarning(repository, loaded, source) {
            loaded.diagnostics.append(warning)
        }
        return loaded
    }

    /// Said once when HEAD is read while manifest files under the read paths have uncommitted edits: the
    /// plan would not show them.
    private static func uncommittedWarning(_ repository: GitRepository, _ loaded: LoadedManifests,
                                           _ source: ManifestSource) -> Diagnostic? {
        let files = repository.uncommittedFiles(under: loaded.paths).filter { path in
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return ManifestFileCollector.isManifestName(name) || path == ManifestFileCollector.configurationFile
        }
        guard let first = files.first else { return nil }
        let named = files.count == 1 ? first : "\(first) and \(files.count - 1) more"
        return .warning("\(named) \(files.count == 1 ? "has" : "have") uncommitted changes, which this reads past: "
                        + "it reads HEAD (\(source.shortCommit ?? "?")); commit them, or pass --worktree to read the "
                        + "working tree")
    }

    static func load(
        from tree: any ManifestTree, source: ManifestSource, request: ManifestRequest
    ) throws(DiagnosticsError) -> LoadedManifests {
        var diagnostics: [Diagnostic] = []
        var configuration = ProjectConfiguration()
        var configuredPaths: [ManifestPath]?
        let configurationFile = ManifestFileCollector.configurationFile
        switch try tree.kind(of: configurationFile) {
        case .file(let size) where size > request.limits.maxFileBytes:
            diagnostics.append(.error(request.limits.tooLargeMessage(size: size),
                                      at: SourceLocation(file: configurationFile, line: 1, column: 1)))
        case .file:
            let decoded = ConfigurationDecoder.decode(
                file: configurationFile, bytes: try tree.contents(of: configurationFile), limits: request.limits
            )
            configuration = decoded.configuration
            configuredPaths = decoded.paths?.map { ManifestPath(text: $0.value, location: $0.location) }
            diagnostics += decoded.diagnostics
        case .symlink:
            diagnostics.append(.warning("symlink not followed; provsync.yaml must be a regular file, so its "
                                        + "settings are not used", at: .file(configurationFile)))
        default:
            break
        }
        let paths = request.paths.isEmpty
            ? configuredPaths ?? ProjectConfiguration.defaultPaths.map { ManifestPath(text: $0) }
            : request.paths.map { ManifestPath(text: $0) }
        let revision = source.isWorkingTree ? "the working tree" : "\(source.ref) (\(source.shortCommit ?? "?"))"
        let escaping = paths.filter { $0.text.split(separator: "/").contains("..") || $0.text.hasPrefix("/") }
        for path in escaping {
            diagnostics.append(.error("manifest path '\(path.text)' must be relative and inside the repository",
                                      at: path.location))
        }
        var collector = ManifestFileCollector(tree: tree, revision: revision, limits: request.limits)
        try collector.collect(paths.filter { !escaping.contains($0) })
        diagnostics += collector.diagnostics
        var manifests: [Manifest] = []
        var identities: [ManifestIdentity] = []
        var filesWithDocuments: Set<String> = []
        let limits = request.limits
        let decodedFiles = collector.files.concurrentMap { file in
            (path: file.path, decoded: ManifestDecoder.decode(file: file.path, bytes: file.bytes, limits: limits))
        }
        for (path, decoded) in decodedFiles {
            manifests += decoded.manifests
            identities += decoded.identities
            diagnostics += decoded.diagnostics
            if !decoded.identities.isEmpty || !decoded.manifests.isEmpty || !decoded.diagnostics.isEmpty {
                filesWithDocuments.insert(path)
            }
        }
        // Files that hold only comments or empty documents do not count as manifests.
        for (path, files) in collector.filesByPath where !files.isEmpty && files.allSatisfy({ !filesWithDocuments.contains($0) }) {
            diagnostics.append(.error("no manifests under '\(path.text)' at \(revision): its files hold no documents",
                                      at: path.location))
        }
        diagnostics += duplicateIdentities(in: identities)
        let sorted = Diagnostic.sortedByLocation(diagnostics)
        return LoadedManifests(
            manifestSet: ManifestSet(source: source, manifests: manifests,
                                     warnings: sorted.filter { $0.severity == .warning }),
            configuration: configuration,
            diagnostics: sorted,
            fileCount: collector.files.count,
            paths: paths.map(\.text)
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
