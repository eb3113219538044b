import ProvsyncModel

/// What a path in a tree of files is.
enum TreeEntryKind: Equatable {
    /// A regular file; `size` is 0 for files that are not candidates to read.
    case file(size: Int)
    case directory
    case symlink
    case submodule
    /// A working-tree entry whose name is not UTF-8: listed with U+FFFD in place of the bad bytes, so it
    /// cannot be opened by that name.
    case unreadableName
}

/// A tree of files that manifests are read from: a commit's tree, or the working tree.
/// Paths are relative to the repository root, `/`-separated; the root is the empty path.
protocol ManifestTree {
    /// What is at `path`, or nil when nothing is.
    func kind(of path: String) throws(DiagnosticsError) -> TreeEntryKind?
    func children(of directory: String) throws(DiagnosticsError) -> [(name: String, kind: TreeEntryKind)]
    func contents(of file: String) throws(DiagnosticsError) -> [UInt8]
    /// The blob id of a file listed by `children(of:)` when the tree knows it without reading the file
    /// (a commit's tree does; the working tree does not).
    func knownID(of file: String) -> GitObjectID?
}
