import ProvsyncModel

/// Reads a `ProviderInstallation` of the store API into a `LiveInstallation`, leniently.
struct WireInstallation: WireReadable {
    var value: LiveInstallation

    init(wire: JSONValue) throws(WireError) {
        let fields = try WireObject(wire)
        let providerName: String
        if let canonical = fields.string("canonical") {
            providerName = canonical
        } else if let prefix = fields.string("prefix"), let name = fields.string("name") {
            providerName = "\(prefix)/\(name)"
        } else {
            providerName = try fields.required("canonical")
        }
        value = LiveInstallation(
            providerName: providerName,
            installedVersion: fields.string("installed_version"),
            currentVersion: fields.string("current_version"),
            upgradePolicy: fields.string("upgrade_policy") ?? "manual",
            resourceTier: fields.string("resource_tier") ?? "standard",
            config: fields.stringMap("config") ?? [:],
            lifecycleState: fields.string("lifecycle_state") ?? "unknown",
            health: fields.string("health"),
            healthMessage: fields.string("health_message"),
            updatedAt: fields.string("updated_at")
        )
    }
}
