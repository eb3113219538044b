import ProvsyncModel

/// Address patterns given on the command line (`--target`, the address part of `drift --ignore`) that match
/// no manifest and no live object: a typo that would otherwise plan nothing and say `No changes.`.
package enum UnmatchedPatterns {
    /// One error per pattern that matches none of `addresses`, naming the closest address when one is near.
    package static func errors(_ patterns: [String], option: String, addresses: [ResourceAddress]) -> [Diagnostic] {
        let names = addresses.map(\.description)
        return patterns.filter { pattern in !addresses.contains { AddressPattern.matches(pattern, $0) } }.map { pattern in
            .error("\(option) \(pattern) matches no manifest and no live object"
                   + Suggestions.hint(for: pattern.hasSuffix("*") ? String(pattern.dropLast()) : pattern, among: names))
        }
    }
}

extension Reconciliation {
    /// Every address a pattern may name: the manifests', the unmanaged live objects' and those to delete.
    package func addresses(desired: DesiredState) -> [ResourceAddress] {
        desired.addresses + unmanaged + deletions
    }
}
