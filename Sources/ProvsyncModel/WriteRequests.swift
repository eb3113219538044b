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

/// The body of an agent provider create, preview or PATCH. A nil field is left out of the request, which
/// on PATCH keeps the server's value (except `origin`, which the server then recomputes from the location).
/// Variables may hold secrets: in memory only.
package struct AgentProviderRequest: Sendable, Hashable {
    package var location: String?
    package var origin: String?
    package var agentCard: JSONValue?
    package var variables: [String: String]?
    package var autoStopTimeoutSec: Int?

    package init(location: String? = nil, origin: String? = nil, agentCard: JSONValue? = nil,
                 variables: [String: String]? = nil, autoStopTimeoutSec: Int? = nil) {
        self.location = location
        self.origin = origin
        self.agentCard = agentCard
        self.variables = variables
        self.autoStopTimeoutSec = autoStopTimeoutSec
    }
}
