/// Store provider installations (`kind: Installation`, API 1): identified by `org/name`, changed by install,
/// upgrade, downgrade, or uninstall and install again.
package enum InstallationKind: ResourceKind {
    package static let kind = ManifestKind.installation

    package static func spec(in body: Manifest.Body) -> InstallationManifest? {
        if case .installation(let spec) = body { spec } else { nil }
    }

    package static var liveObjects: WritableKeyPath<LiveSnapshot, [LiveInstallation]> { \.installations }

    package static func address(of live: LiveInstallation) -> ResourceAddress { live.address }

    package static func identity(of live: LiveInstallation) -> String { live.providerName }

    package static func planned(_ operation: InstallationOperation) -> PlannedOperation { .installation(operation) }

    package static func operation(in planned: PlannedOperation) -> InstallationOperation? {
        if case .installation(let operation) = planned { operation } else { nil }
    }

    package static func deletion(of live: LiveInstallation, cascade: Bool) -> InstallationOperation {
        .uninstall(providerName: live.providerName, cascade: cascade)
    }
}

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

/// An installation as the store API reports it (`ProviderInstallation`). Enum-like fields stay strings so
/// values the API adds later are kept, not rejected.
package struct LiveInstallation: Sendable, Hashable, Codable {
    /// `org/name` (`canonical`), the identity.
    package var providerName: String
    package var installedVersion: String?
    /// nil until the platform has deployed the installation.
    package var currentVersion: String?
    package var upgradePolicy: String
    package var resourceTier: String
    package var config: [String: String]
    /// `pending`, `processing`, `ready`, `failed` or `deleting`.
    package var lifecycleState: String
    /// `healthy` or `degraded`, independent of the lifecycle.
    package var health: String?
    package var healthMessage: String?
    package var updatedAt: String?

    package init(
        providerName: String, installedVersion: String?, currentVersion: String? = nil,
        upgradePolicy: String = "manual", resourceTier: String = "standard", config: [String: String] = [:],
        lifecycleState: String = "ready", health: String? = "healthy", healthMessage: String? = nil,
        updatedAt: String? = nil
    ) {
        self.providerName = providerName
        self.installedVersion = installedVersion
        self.currentVersion = currentVersion
        self.upgradePolicy = upgradePolicy
        self.resourceTier = resourceTier
        self.config = config
        self.lifecycleState = lifecycleState
        self.health = health
        self.healthMessage = healthMessage
        self.updatedAt = updatedAt
    }

    package var address: ResourceAddress { .installation(providerName: providerName) }
}

/// The body of `POST /providers/install`. Config values are resolved: they may hold secrets, so this type
/// lives in memory only and is never written to a plan file or printed.
package struct InstallRequest: Sendable, Hashable {
    package var providerName: String
    /// nil installs the latest published version.
    package var version: String?
    package var resourceTier: ResourceTier
    package var upgradePolicy: UpgradePolicy
    package var config: [String: String]

    package init(providerName: String, version: String?, resourceTier: ResourceTier, upgradePolicy: UpgradePolicy,
                 config: [String: String]) {
        self.providerName = providerName
        self.version = version
        self.resourceTier = resourceTier
        self.upgradePolicy = upgradePolicy
        self.config = config
    }
}

/// The API calls of one installation change.
package enum InstallationOperation: Sendable, Hashable {
    case install(InstallRequest)
    case upgrade(providerName: String, version: String)
    case downgrade(providerName: String, version: String)
    /// Uninstall, then install again with the new settings.
    case replace(InstallRequest)
    /// Uninstall; with `cascade` the installation's active resources go with it.
    case uninstall(providerName: String, cascade: Bool)

    /// The installation the operation is about.
    package var providerName: String {
        switch self {
        case .install(let request), .replace(let request): request.providerName
        case .upgrade(let name, _), .downgrade(let name, _), .uninstall(let name, _): name
        }
    }

    /// The version an install, replace, upgrade or downgrade puts in place; nil for the latest, and for an
    /// uninstall, which installs nothing.
    package var pinnedVersion: String? {
        switch self {
        case .install(let request), .replace(let request): request.version
        case .upgrade(_, let version), .downgrade(_, let version): version
        case .uninstall: nil
        }
    }
}
