import ProvsyncModel

/// Choices that shape a plan beyond the manifests.
package struct PlanningOptions: Sendable {
    /// `--allow-replace`: permit every replacement, whatever the manifests' policy says.
    package var allowReplace: Bool
    /// `--target`: addresses (a trailing `*` matches any rest) the plan is limited to; empty means all.
    package var targets: [String]
    /// Salt for every digest of the plan.
    package var salt: String

    package init(allowReplace: Bool = false, targets: [String] = [], salt: String) {
        self.allowReplace = allowReplace
        self.targets = targets
        self.salt = salt
    }

    func isTargeted(_ address: ResourceAddress) -> Bool {
        targets.isEmpty || targets.contains { AddressPattern.matches($0, address) }
    }
}
