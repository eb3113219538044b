/// The resources an installation runs with.
package enum ResourceTier: String, Sendable, Hashable, Codable, CaseIterable {
    case free, standard, performance
}

/// Whether the platform moves an installation to new versions by itself.
package enum UpgradePolicy: String, Sendable, Hashable, Codable, CaseIterable {
    case auto, manual
}

/// The desired state of one store provider installation (`kind: Installation`).
package struct InstallationManifest: Sendable, Hashable, Codable {
    /// `org/name`, the installation's identity.
    package var providerName: String
    /// A pinned version; nil means "latest at install, then not compared".
    package var version: String?
    package var resourceTier: ResourceTier
    package var upgradePolicy: UpgradePolicy
    /// Environment variables handed to the provider.
    package var config: [String: TemplatedString]
    package var policy: ManifestPolicy

    package init(
        providerName: String,
        version: String? = nil,
        resourceTier: ResourceTier = .standard,
        upgradePolicy: UpgradePolicy = .manual,
        config: [String: TemplatedString] = [:],
        policy: ManifestPolicy = ManifestPolicy()
    ) {
        self.providerName = providerName
        self.version = version
        self.resourceTier = resourceTier
        self.upgradePolicy = upgradePolicy
        self.config = config
        self.policy = policy
    }

    package var address: ResourceAddress { .installation(providerName: providerName) }
}
