/// Bounds that keep hostile YAML from using unbounded time or memory.
package struct YAMLLimits: Sendable, Hashable {
    /// Files larger than this are refused before parsing.
    package var maxFileBytes: Int
    /// Collections nested deeper than this are refused.
    package var maxDepth: Int
    /// The most nodes aliases may add to one file when expanded (an alias bomb stops here).
    package var maxAliasExpansion: Int
    /// The most bytes of scalar text aliases may add to one file (aliases of a long string stop here).
    package var maxAliasTextBytes: Int

    package init(
        maxFileBytes: Int = 1 << 20, maxDepth: Int = 64, maxAliasExpansion: Int = 10_000, maxAliasTextBytes: Int = 1 << 20
    ) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
        self.maxAliasTextBytes = maxAliasTextBytes
    }

    package static let standard = YAMLLimits()

    /// The refusal of a file over `maxFileBytes`.
    func tooLargeMessage(size: Int) -> String {
        "file is \(size) bytes; files larger than \(maxFileBytes) bytes are refused"
    }
}
