import ProvsyncModel

/// What decoding one load's files produced, kept so that a second load of the same repository (the base of
/// `plan --base`) neither reads nor decodes again what is the same at both revisions. A file is known by its
/// path and blob id; a manifest by the documents it was decoded from, so a manifest whose documents are all
/// unchanged is taken as it was, and one that a changed file touches (a new layer's patch) is decoded again.
package struct DecodingMemo: Sendable {
    /// A file at a path with given bytes.
    struct FileKey: Sendable, Hashable {
        var path: String
        var id: GitObjectID
    }

    /// One file's YAML: its problems as diagnostics, and its documents with the identities they claim.
    struct ParsedFile: Sendable {
        var diagnostics: [Diagnostic]
        var documents: [ParsedDocument]
        /// True when the file holds at least one document or a YAML problem.
        var hasDocuments: Bool
    }

    struct ParsedDocument: Sendable {
        var root: YAMLNode
        var identity: ManifestIdentity?
    }

    /// A document: its file, its place among the file's documents, and the layer the file was read in.
    struct DocumentKey: Sendable, Hashable {
        var file: FileKey
        var index: Int
        var layer: Int
    }

    /// A manifest decoded from its documents (nil when invalid), and what decoding it found.
    struct DecodedUnit: Sendable {
        var manifest: Manifest?
        var diagnostics: [Diagnostic]
    }

    var files: [FileKey: ParsedFile] = [:]
    var units: [[DocumentKey]: DecodedUnit] = [:]

    package init() {}

    /// How many files the memo holds.
    package var fileCount: Int { files.count }

    /// Whether the file at `path` with blob `id` was parsed, so that it need not be read.
    func holds(path: String, id: GitObjectID) -> Bool {
        files[FileKey(path: path, id: id)] != nil
    }
}
