import ProvsyncModel

/// The bytes of one manifest file, with its path relative to the repository root and the layer it belongs
/// to (the index of an environment's path; 0 without environments).
package struct ManifestFile: Sendable, Hashable {
    package var path: String
    package var bytes: [UInt8]
    package var layer: Int

    package init(path: String, bytes: [UInt8], layer: Int = 0) {
        self.path = path
        self.bytes = bytes
        self.layer = layer
    }
}
