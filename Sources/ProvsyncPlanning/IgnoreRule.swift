import ProvsyncModel

/// An extra ignore rule for one run (`drift --ignore installation/*:config.LOG_LEVEL`): objects whose
/// address matches the pattern (a trailing `*` matches any rest) do not diff the path.
package struct IgnoreRule: Sendable, Hashable {
    package var addressPattern: String
    package var path: String

    /// Reads `ADDRESS_PATTERN:PATH`; nil when the text has no `:` between a pattern and a path.
    package init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
              text.index(after: colon) != text.endIndex else { return nil }
        addressPattern = String(text[..<colon])
        path = String(text[text.index(after: colon)...])
    }

    func applies(to address: ResourceAddress) -> Bool {
        AddressPattern.matches(addressPattern, address)
    }
}
