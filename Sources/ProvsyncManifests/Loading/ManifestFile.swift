import ProvsyncModel

/// The bytes of one manifest file, with its path relative to the repository root.
package struct ManifestFile: Sendable, Hashable {
    package var path: String
    package var bytes: [UInt8]

    package init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// Collects the manifest files (`*.yaml`, `*.yml`) under the manifest paths of a tree, in path order.
/// Symlinks and submodules are reported, not followed; files over the size limit are refused unread.
enum ManifestFileCollector {
    static let configurationFile = "provsync.yaml"

    static func collect(
        paths: [String], from tree: any ManifestTree, at revision: String, limits: YAMLLimits
    ) throws(DiagnosticsError) -> (files: [ManifestFile], diagnostics: [Diagnostic]) {
        var files: [ManifestFile] = []
        var diagnostics: [Diagnostic] = []
        var seen: Set<String> = []
        for path in paths {
            let normalized = normalize(path)
            var found: [String] = []
            let errorsBefore = diagnostics.errors.count
            if normalized == configurationFile {
                diagnostics.append(.warning("'\(path)' is provsync's configuration file, not a manifest; skipped"))
                continue
            }
            switch try tree.kind(of: normalized) {
            case nil:
                diagnostics.append(.error("manifest path '\(path)' does not exist at \(revision)"))
                continue
            case .symlink:
                diagnostics.append(.warning("symlink not followed (provsync reads regular files only)",
                                            at: .file(normalized)))
            case .submodule:
                diagnostics.append(.warning("submodule not followed (provsync reads this repository only)",
                                            at: .file(normalized)))
            case .file(let size):
                found.append(normalized)
                if size > limits.maxFileBytes {
                    diagnostics.append(tooLarge(normalized, size: size, limits: limits))
                    found.removeLast()
                }
            case .directory:
                try walk(normalized, tree: tree, limits: limits, found: &found, diagnostics: &diagnostics)
            }
            // A path whose only files were refused already has its errors; any other empty path is one.
            if found.isEmpty && diagnostics.errors.count == errorsBefore {
                diagnostics.append(.error("no manifests (*.yaml, *.yml) under '\(path)' at \(revision)"))
            }
            for file in found where seen.insert(file).inserted {
                files.append(ManifestFile(path: file, bytes: try tree.contents(of: file)))
            }
        }
        return (files.sorted { $0.path < $1.path }, diagnostics)
    }

    private static func walk(
        _ directory: String, tree: any ManifestTree, limits: YAMLLimits,
        found: inout [String], diagnostics: inout [Diagnostic]
    ) throws(DiagnosticsError) {
        for (name, kind) in try tree.children(of: directory) {
            let path = directory.isEmpty ? name : "\(directory)/\(name)"
            switch kind {
            case .directory:
                try walk(path, tree: tree, limits: limits, found: &found, diagnostics: &diagnostics)
            case .symlink:
                diagnostics.append(.warning("symlink not followed (provsync reads regular files only)", at: .file(path)))
            case .submodule:
                diagnostics.append(.warning("submodule not followed (provsync reads this repository only)",
                                            at: .file(path)))
            case .file(let size):
                guard isManifestName(name), path != configurationFile else { continue }
                if size > limits.maxFileBytes {
                    diagnostics.append(tooLarge(path, size: size, limits: limits))
                } else {
                    found.append(path)
                }
            }
        }
    }

    static func isManifestName(_ name: String) -> Bool {
        name.hasSuffix(".yaml") || name.hasSuffix(".yml")
    }

    /// `./manifests/` and `manifests` both become `manifests`; `.` and `/` become the root.
    static func normalize(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }

    private static func tooLarge(_ path: String, size: Int, limits: YAMLLimits) -> Diagnostic {
        .error(limits.tooLargeMessage(size: size), at: SourceLocation(file: path, line: 1, column: 1))
    }
}
