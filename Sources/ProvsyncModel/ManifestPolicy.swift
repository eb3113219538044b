/// How provsync treats one managed object (a manifest's `policy:` section).
package struct ManifestPolicy: Sendable, Hashable, Codable {
    /// Dotted paths never diffed; drift there is not reported.
    package var ignore: [String]
    /// Dotted paths whose values are redacted in every output.
    package var sensitive: [String]
    /// Whether a change that needs uninstall + install may be applied.
    package var allowReplace: Bool
    /// Whether deleting an installation also removes its active resources (`cascade=true`).
    package var cascade: Bool

    package init(ignore: [String] = [], sensitive: [String] = [], allowReplace: Bool = false, cascade: Bool = false) {
        self.ignore = ignore
        self.sensitive = sensitive
        self.allowReplace = allowReplace
        self.cascade = cascade
    }
}
