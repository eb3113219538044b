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

/// An agent provider as the agent API reports it (`Provider`), with its variables when they were read.
package struct LiveAgentProvider: Sendable, Hashable, Codable {
    package var id: String
    /// The normalised location.
    package var source: String
    package var origin: String
    package var agentCard: JSONValue?
    /// Parsed from the ISO-8601 `auto_stop_timeout`; nil when absent or unreadable.
    package var autoStopTimeoutSec: Int?
    /// Read through the variables endpoint, only for providers a manifest manages; nil when not read.
    package var variables: [String: String]?
    /// `missing`, `starting`, `ready`, `running`, `error`, or `online`/`offline` for network providers.
    package var state: String
    /// Set for providers synced from a server-side registry, which refuse updates.
    package var registry: String?
    /// Names of required variables that are not set.
    package var missingConfiguration: [String]
    package var lastError: String?
    package var updatedAt: String?

    package init(
        id: String, source: String, origin: String, agentCard: JSONValue? = nil, autoStopTimeoutSec: Int? = nil,
        variables: [String: String]? = nil, state: String = "ready", registry: String? = nil,
        missingConfiguration: [String] = [], lastError: String? = nil, updatedAt: String? = nil
    ) {
        self.id = id
        self.source = source
        self.origin = origin
        self.agentCard = agentCard
        self.autoStopTimeoutSec = autoStopTimeoutSec
        self.variables = variables
        self.state = state
        self.registry = registry
        self.missingConfiguration = missingConfiguration
        self.lastError = lastError
        self.updatedAt = updatedAt
    }

    package var address: ResourceAddress { .agent(origin: origin) }
}

/// Everything read from both APIs at one moment: the input of planning and drift.
package struct LiveSnapshot: Sendable, Hashable, Codable {
    package var installations: [LiveInstallation]
    package var agentProviders: [LiveAgentProvider]

    package init(installations: [LiveInstallation] = [], agentProviders: [LiveAgentProvider] = []) {
        self.installations = installations
        self.agentProviders = agentProviders
    }
}
