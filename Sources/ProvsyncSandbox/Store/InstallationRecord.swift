import Foundation

/// One installed store provider, as the sandbox keeps it.
struct InstallationRecord: Sendable, Codable, Hashable {
    var prefix: String
    var name: String
    var installedVersion: String
    var currentVersion: String?
    var upgradePolicy: String
    var resourceTier: String
    var config: [String: String]
    var installedAt: Date
    var createdAt: Date
    var updatedAt: Date
    var lifecycleState: String
    /// When `lifecycleState` last changed; the worker moves states on after the configured delays.
    var stateSince: Date
    var health: String
    var healthMessage: String?
    /// Resources still using the provider; a non-cascading uninstall is refused while this is above 0.
    var activeResources: Int

    var canonical: String { "\(prefix)/\(name)" }

    /// The ProviderInstallation response body.
    var response: SandboxJSON {
        .object([
            "prefix": .string(prefix),
            "name": .string(name),
            "canonical": .string(canonical),
            "installed_version": .string(installedVersion),
            "current_version": currentVersion.map(SandboxJSON.string) ?? .null,
            "upgrade_policy": .string(upgradePolicy),
            "resource_tier": .string(resourceTier),
            "config": .object(config.mapValues(SandboxJSON.string)),
            "installed_at": .string(Timestamps.rfc3339(installedAt)),
            "created_at": .string(Timestamps.rfc3339(createdAt)),
            "updated_at": .string(Timestamps.rfc3339(updatedAt)),
            "lifecycle_state": .string(lifecycleState),
            "health": .string(health),
            "health_message": healthMessage.map(SandboxJSON.string) ?? .null,
        ])
    }
}
