import ProvsyncModel

/// A manifest path to read, with the place in provsync.yaml that named it (nil when it came from the
/// command line or the default), and its layer: its index among an environment's paths, else 0.
struct ManifestPath: Sendable, Hashable {
    var text: String
    var location: SourceLocation?
    var layer = 0

    /// `./manifests/` and `manifests` both become `manifests`; `.` and `/` become the root.
    var normalized: String {
        text.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }
}

/// Collects the manifest files (`*.yaml`, `*.yml`) under the manifest paths of a tree, by layer, then in
/// path order. Symlinks and submodules are reported, not followed; hidden directories (`.github`, ...) are
/// not walked unless named; files over the size limit are refused unread; a file under two layers is an error.
struct ManifestFileCollector {
    static let configurationFile = "provsync.yaml"

    let tree: any ManifestTree
    let revision: String
    let limits: YAMLLimits
    /// Files it holds are not read (their bytes stay empty).
    let memo: DecodingMemo?
    /// Whether files the tree has no id for (the working tree's) get one hashed from their bytes, for a memo.
    let hashesUnknownFiles: Bool
    private(set) var files: [ManifestFile] = []
    /// The files found under each path, in the order the paths were given.
    private(set) var filesByPath: [(path: ManifestPath, files: [String])] = []
    private(set) var diagnostics: [Diagnostic] = []
    private var reported: Set<Diagnostic> = []
    /// Each file read, with the path it was first found under.
    private var read: [String: ManifestPath] = [:]

    init(tree: any ManifestTree, revision: String, limits: YAMLLimits, memo: DecodingMemo? = nil,
         hashesUnknownFiles: Bool = false) {
        self.tree = tree
        self.revision = revision
        self.limits = limits
        self.memo = memo
        self.hashesUnknownFiles = hashesUnknownFiles || memo != nil
    }

    mutating func collect(_ paths: [ManifestPath]) throws(DiagnosticsError) {
        for path in paths {
            let normalized = path.normalized
            if normalized == Self.configurationFile {
                report(.warning("'\(path.text)' is provsync's configuration file, not a manifest; skipped",
                                at: path.location))
                continue
            }
            guard let kind = try tree.kind(of: normalized) else {
                report(.error("manifest path '\(path.text)' does not exist at \(revision)", at: path.location))
                continue
            }
            let errorsBefore = diagnostics.errors.count
            var found: [String] = []
            try visit(normalized, kind: kind, isNamed: true, found: &found)
            // A path whose only files were refused already has its errors; any other empty path is one.
            if found.isEmpty && diagnostics.errors.count == errorsBefore {
                report(.error("no manifests (*.yaml, *.yml) under '\(path.text)' at \(revision)", at: path.location))
            }
            var overlapReported = false
            for file in found {
                if let earlier = read[file] {
                    if earlier.layer != path.layer && !overlapReported {
                        report(.error("layers '\(earlier.text)' and '\(path.text)' overlap: '\(file)' is in both; an "
                                      + "environment's layers must not share files", at: path.location))
                        overlapReported = true
                    }
                    continue
                }
                read[file] = path
                files.append(try self.file(file, layer: path.layer))
            }
            filesByPath.append((path, found))
        }
        files.sort { ($0.layer, $0.path) < ($1.layer, $1.path) }
    }

    /// The file at `path`, unread when the memo holds it.
    private func file(_ path: String, layer: Int) throws(DiagnosticsError) -> ManifestFile {
        if let id = tree.knownID(of: path) {
            let bytes = memo?.holds(path: path, id: id) == true ? [] : try tree.contents(of: path)
            return ManifestFile(path: path, bytes: bytes, layer: layer, id: id)
        }
        let bytes = try tree.contents(of: path)
        return ManifestFile(path: path, bytes: bytes, layer: layer, id: hashesUnknownFiles ? GitObjectID(blobOf: bytes) : nil)
    }

    private mutating func visit(
        _ path: String, kind: TreeEntryKind, isNamed: Bool, found: inout [String]
    ) throws(DiagnosticsError) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        switch kind {
        case .directory:
            guard isNamed || !name.hasPrefix(".") else { return }
            for (child, childKind) in try tree.children(of: path) {
                try visit(path.isEmpty ? child : "\(path)/\(child)", kind: childKind, isNamed: false, found: &found)
            }
        case .symlink:
            report(.warning("symlink not followed (provsync reads regular files only)", at: .file(path)))
        case .submodule:
            report(.warning("submodule not followed (provsync reads this repository only)", at: .file(path)))
        case .unreadableName:
            // Its kind is unknown too: a manifest's name makes it an error, anything else (perhaps a
            // directory) a warning.
            guard isNamed || !name.hasPrefix(".") else { return }
            let message = "not read: the name is not valid UTF-8, so it cannot be opened in the working tree; "
                + "rename it (reading a commit works)"
            report(Self.isManifestName(name) ? .error(message, at: .file(path)) : .warning(message, at: .file(path)))
        case .file(let size):
            guard isNamed || (Self.isManifestName(name) && path != Self.configurationFile) else { return }
            if size > limits.maxFileBytes {
                report(.error(limits.tooLargeMessage(size: size), at: SourceLocation(file: path, line: 1, column: 1)))
            } else {
                found.append(path)
            }
        }
    }

    /// Adds a diagnostic once, however many paths lead to the same place.
    private mutating func report(_ diagnostic: Diagnostic) {
        if reported.insert(diagnostic).inserted {
            diagnostics.append(diagnostic)
        }
    }

    static func isManifestName(_ name: String) -> Bool {
        name.hasSuffix(".yaml") || name.hasSuffix(".yml")
    }
}
