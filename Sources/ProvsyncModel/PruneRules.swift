/// `prune:` in `provsync.yaml`: which live objects without a manifest are deleted, which never are, and how
/// many deletes one plan may hold.
package struct PruneRules: Sendable, Hashable, Codable {
    /// Address patterns (a trailing `*` matches any rest): a live object matching one, with no manifest, is
    /// deleted.
    package var owns: [Located<String>]
    /// Address patterns never deleted, whatever `owns` or `ensure: absent` say.
    package var protect: [Located<String>]
    /// More deletes than this in one plan and apply refuses the whole plan; nil: `defaultMaxDeletes`.
    package var maxDeletes: Int?

    package init(owns: [Located<String>] = [], protect: [Located<String>] = [], maxDeletes: Int? = nil) {
        self.owns = owns
        self.protect = protect
        self.maxDeletes = maxDeletes
    }

    /// The deletes a plan may hold when neither `max_deletes` nor `--max-deletes` says: enough for a
    /// deliberate removal or two, too few for a wrong `--path` to empty a platform.
    package static let defaultMaxDeletes = 5
    package static let maxDeletesRange = 0...100_000

    /// The first `owns` pattern matching `address`, unless a `protect` pattern matches it too.
    package func owner(of address: ResourceAddress) -> Located<String>? {
        guard protector(of: address) == nil else { return nil }
        return owns.first { AddressPattern.matches($0.value, address) }
    }

    /// The first `protect` pattern matching `address`.
    package func protector(of address: ResourceAddress) -> Located<String>? {
        protect.first { AddressPattern.matches($0.value, address) }
    }
}
