import ProvsyncModel

/// Salted digests for values that must not be stored as they are.
struct Digester {
    let salt: String

    func digest(_ text: String) -> String {
        SHA256.hex(salt + "\u{0}" + text)
    }

    /// A plan value for a desired or live text, redacted when sensitive.
    func value(_ text: String?, sensitive: Bool) -> PlanValue {
        guard let text else { return .absent }
        return sensitive ? .sensitive(digest: digest(text)) : .value(.string(text))
    }

    func value(_ json: JSONValue?, sensitive: Bool) -> PlanValue {
        guard let json else { return .absent }
        return sensitive ? .sensitive(digest: digest(json.canonicalText)) : .value(json)
    }

    /// A digest of a live installation's compared fields.
    func fingerprint(_ live: LiveInstallation) -> String {
        digest(JSONValue.object([
            "version": live.installedVersion.map(JSONValue.string) ?? .null,
            "upgrade_policy": .string(live.upgradePolicy), "resource_tier": .string(live.resourceTier),
            "config": .object(live.config.mapValues(JSONValue.string)),
        ]).canonicalText)
    }

    /// A digest of a live agent provider's compared fields.
    func fingerprint(_ live: LiveAgentProvider) -> String {
        digest(JSONValue.object([
            "id": .string(live.id), "source": .string(live.source), "origin": .string(live.origin),
            "agent_card": live.agentCard.map(AgentCardRules.comparable) ?? .null,
            "auto_stop_timeout_sec": live.autoStopTimeoutSec.map(JSONValue.integer) ?? .null,
            "variables": live.variables.map { .object($0.mapValues(JSONValue.string)) } ?? .null,
        ]).canonicalText)
    }
}
