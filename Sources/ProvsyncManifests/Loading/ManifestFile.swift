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
