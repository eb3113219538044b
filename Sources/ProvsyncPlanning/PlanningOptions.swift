import ProvsyncModel

/// Choices that shape a plan beyond the manifests.
package struct PlanningOptions: Sendable {
    /// `--allow-replace`: permit every replacement, whatever the manifests' policy says.
    package var allowReplace: Bool
    /// `--target`: addresses (a trailing `*` matches any rest) the plan is limited to; empty means all.
    package var targets: [String]
    /// Salt for every digest of the plan.
    package var salt: String
    /// The key of the digests a saved plan records (derived with `salt`); nil without key material.
    package var key: PlanKey?
    /// Whether the plan records the desired digest and the fingerprints of unchanged objects, which only a
    /// saved plan uses (to be refused when stale). Leaving them out saves a third of planning's work.
    package var recordsDigests: Bool
    /// `--max-deletes`: overrides `prune.max_deletes`.
    package var maxDeletes: Int?
    /// `--cascade`: every installation delete also removes the installation's active resources.
    package var cascade: Bool
    /// `--changed-only`: the addresses whose manifests the change touches; nil plans every object.
    package var scope: Set<ResourceAddress>?

    package init(allowReplace: Bool = false, targets: [String] = [], salt: String, key: PlanKey? = nil,
                 recordsDigests: Bool = true, maxDeletes: Int? = nil, cascade: Bool = false) {
        self.allowReplace = allowReplace
        self.targets = targets
        self.salt = salt
        self.key = key
        self.recordsDigests = recordsDigests
        self.maxDeletes = maxDeletes
        self.cascade = cascade
    }

    func isTargeted(_ address: ResourceAddress) -> Bool {
        scope?.contains(address) != false && (targets.isEmpty || targets.contains { AddressPattern.matches($0, address) })
    }
}
