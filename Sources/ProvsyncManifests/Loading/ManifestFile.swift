import ProvsyncModel

/// The bytes of one manifest file, with its path relative to the repository root, the layer it belongs
/// to (the index of an environment's path; 0 without environments) and its blob id when known.
package struct ManifestFile: Sendable, Hashable {
    package var path: String
    /// Empty when the load's `DecodingMemo` already holds this file's parse (it was not read).
    package var bytes: [UInt8]
    package var layer: Int
    /// The git blob id of the bytes: a commit's, or one hashed from a working-tree file's bytes.
    package var id: GitObjectID?

    package init(path: String, bytes: [UInt8], layer: Int = 0, id: GitObjectID? = nil) {
        self.path = path
        self.bytes = bytes
        self.layer = layer
        self.id = id
    }

    /// The memo's key for this file, when its id is known.
    var memoKey: DecodingMemo.FileKey? {
        id.map { DecodingMemo.FileKey(path: path, id: $0) }
    }
}
