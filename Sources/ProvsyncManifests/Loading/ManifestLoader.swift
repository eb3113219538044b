import ProvsyncModel
import ProvsyncSupport

/// Reads manifests from a commit (or the working tree), decodes and validates them.
package enum ManifestLoader {
    /// The manifests `request` names: those of its environment (`--env`) when provsync.yaml defines
    /// environments, which it must then name.
    package static func load(_ request: ManifestRequest) throws(DiagnosticsError) -> LoadedManifests {
        let opened = try open(request)
        let read = try readConfiguration(from: opened.tree, limits: request.limits)
        return try load(opened, request: request, configuration: read)
    }

    /// One load per environment in `names`, each as `load` with that `environment` (`request.environment` is
    /// not used). Empty `names` means every environment provsync.yaml defines, in its order, or the one plain
    /// load when it defines none: how `validate` checks them all.
    package static func loadEnvironments(
        _ request: ManifestRequest, named names: [String]
    ) throws(DiagnosticsError) -> [LoadedManifests] {
        let opened = try open(request)
        let read = try readConfiguration(from: opened.tree, limits: request.limits)
        var selected: [String?] = names
        if names.isEmpty {
            selected = read.configuration.environmentNames
            if selected.isEmpty { selected = [nil] }
        }
        var loads: [LoadedManifests] = []
        for name in selected {
            var environmentRequest = request
            environmentRequest.environment = name
            loads.append(try load(opened, request: environmentRequest, configuration: read))
        }
        return loads
    }

    /// `provsync.yaml` alone at `request`'s revision (`provsync environments`); its errors throw.
    package static func configuration(_ request: ManifestRequest) throws(DiagnosticsError) -> ProjectConfiguration {
        let read = try readConfiguration(from: try open(request).tree, limits: request.limits)
        guard !read.diagnostics.hasErrors else { throw DiagnosticsError(read.diagnostics) }
        return read.configuration
    }

    /// A tree of files to read and where it comes from.
    private struct OpenedSource {
        var repository: GitRepository
        var tree: any ManifestTree
        var source: ManifestSource
    }

    private static func open(_ request: ManifestRequest) throws(DiagnosticsError) -> OpenedSource {
        let start = request.repository.map { absolute($0, from: request.currentDirectory) } ?? request.currentDirectory
        let repository = try GitRepository(discoveringFrom: start)
        if request.workingTree {
            guard let root = repository.workingDirectory else {
                throw DiagnosticsError(.error(
                    "\(repository.displayPath) is a bare repository and has no working tree; drop --worktree"
                ))
            }
            return OpenedSource(repository: repository, tree: WorkingTree(root: root, repository: repository),
                                source: ManifestSource(repository: repository.displayPath, ref: "working tree",
                                                       commit: repository.headSHA(), isWorkingTree: true))
        }
        let commit = try repository.commit(for: request.ref)
        return OpenedSource(repository: repository, tree: commit,
                            source: ManifestSource(repository: repository.displayPath, ref: request.ref,
                                                   commit: commit.sha, isWorkingTree: false))
    }

    private static func load(
        _ opened: OpenedSource, request: ManifestRequest, configuration: ConfigurationRead
    ) throws(DiagnosticsError) -> LoadedManifests {
        var loaded = try load(from: opened.tree, source: opened.source, request: request, configuration: configuration)
        if !request.workingTree && request.ref == "HEAD",
           let warning = uncommittedWarning(opened.repository, loaded, opened.source) {
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
        try load(from: tree, source: source, request: request,
                 configuration: try readConfiguration(from: tree, limits: request.limits))
    }

    /// provsync.yaml as read from a tree: its settings, its `paths:` with their places, and its diagnostics.
    struct ConfigurationRead {
        var configuration = ProjectConfiguration()
        var paths: [ManifestPath]?
        var diagnostics: [Diagnostic] = []
    }

    static func readConfiguration(
        from tree: any ManifestTree, limits: YAMLLimits
    ) throws(DiagnosticsError) -> ConfigurationRead {
        var read = ConfigurationRead()
        let configurationFile = ManifestFileCollector.configurationFile
        switch try tree.kind(of: configurationFile) {
        case .file(let size) where size > limits.maxFileBytes:
            read.diagnostics.append(.error(limits.tooLargeMessage(size: size),
                                           at: SourceLocation(file: configurationFile, line: 1, column: 1)))
        case .file:
            let decoded = ConfigurationDecoder.decode(
                file: configurationFile, bytes: try tree.contents(of: configurationFile), limits: limits
            )
            read.configuration = decoded.configuration
            read.paths = decoded.paths?.map { ManifestPath(text: $0.value, location: $0.location) }
            read.diagnostics = decoded.diagnostics
        case .symlink:
            read.diagnostics.append(.warning("symlink not followed; provsync.yaml must be a regular file, so its "
                                             + "settings are not used", at: .file(configurationFile)))
        default:
            break
        }
        return read
    }

    private static func load(
        from tree: any ManifestTree, source: ManifestSource, request: ManifestRequest, configuration read: ConfigurationRead
    ) throws(DiagnosticsError) -> LoadedManifests {
        let environment = try EnvironmentSelection.environment(for: request, in: read)
        var diagnostics = read.diagnostics
        let paths: [ManifestPath]
        if let environment {
            paths = environment.paths.enumerated().map { ManifestPath(text: $1.value, location: $1.location, layer: $0) }
        } else if request.paths.isEmpty {
            paths = read.paths ?? ProjectConfiguration.defaultPaths.map { ManifestPath(text: $0) }
        } else {
            paths = request.paths.map { ManifestPath(text: $0) }
        }
        let revision = source.isWorkingTree ? "the working tree" : "\(source.ref) (\(source.shortCommit ?? "?"))"
        let escaping = paths.filter { $0.text.split(separator: "/").contains("..") || $0.text.hasPrefix("/") }
        for path in escaping {
            diagnostics.append(.error("manifest path '\(path.text)' must be relative and inside the repository",
                                      at: path.location))
        }
        var collector = ManifestFileCollector(tree: tree, revision: revision, limits: request.limits,
                                              memo: request.memo, hashesUnknownFiles: request.keepsMemo)
        try collector.collect(paths.filter { !escaping.contains($0) })
        diagnostics += collector.diagnostics
        let decoded = LayeredDecoding.decode(collector.files, limits: request.limits, memo: request.memo,
                                             keepsMemo: request.keepsMemo)
        diagnostics += decoded.diagnostics
        // Files that hold only comments or empty documents do not count as manifests.
        for (path, files) in collector.filesByPath
        where !files.isEmpty && files.allSatisfy({ !decoded.filesWithDocuments.contains($0) }) {
            diagnostics.append(.error("no manifests under '\(path.text)' at \(revision): its files hold no documents",
                                      at: path.location))
        }
        let sorted = Diagnostic.sortedByLocation(diagnostics)
        var source = source
        source.environment = environment?.name
        return LoadedManifests(
            manifestSet: ManifestSet(source: source, manifests: decoded.manifests,
                                     warnings: sorted.filter { $0.severity == .warning }),
            configuration: environment.map(read.configuration.effective(for:)) ?? read.configuration,
            diagnostics: sorted,
            fileCount: collector.files.count,
            paths: paths.map(\.text),
            memo: decoded.memo
        )
    }

    /// One error for each document whose identity an earlier one already has, naming both places.
    static func duplicateIdentities(in identities: [ManifestIdentity]) -> [Diagnostic] {
        var first: [ResourceAddress: SourceLocation] = [:]
        var diagnostics: [Diagnostic] = []
        for identity in identities {
            if let earlier = first[identity.address] {
                diagnostics.append(LayeredDecoding.clash(identity, earlier: earlier))
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
