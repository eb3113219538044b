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

/// A store provider that can be installed, with its published versions.
struct CatalogEntry: Sendable, Codable, Hashable {
    /// Published versions, in any order.
    var versions: [String]
    /// Versions that install but end in `failed`.
    var broken: [String]

    init(versions: [String], broken: [String] = []) {
        self.versions = versions
        self.broken = broken
    }

    /// The highest published version by semantic-version precedence.
    var latest: String? {
        versions.max { SandboxVersion.isOlder($0, than: $1) }
    }
}

/// Semantic-version comparison as the store API does it (numeric major.minor.patch, prereleases first).
enum SandboxVersion {
    static func isOlder(_ left: String, than right: String) -> Bool {
        let (leftCore, leftPre) = split(left), (rightCore, rightPre) = split(right)
        if leftCore != rightCore { return leftCore.lexicographicallyPrecedes(rightCore) }
        switch (leftPre, rightPre) {
        case (nil, _): return false
        case (_?, nil): return true
        case let (l?, r?): return l < r
        }
    }

    private static func split(_ version: String) -> ([Int], String?) {
        let withoutBuild = version.split(separator: "+", maxSplits: 1).first.map(String.init) ?? version
        let parts = withoutBuild.split(separator: "-", maxSplits: 1)
        let core = (parts.first ?? "").split(separator: ".").map { Int($0) ?? 0 }
        return (core + Array(repeating: 0, count: max(0, 3 - core.count)), parts.count > 1 ? String(parts[1]) : nil)
    }
}
