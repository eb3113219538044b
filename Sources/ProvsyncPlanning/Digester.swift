import ProvsyncModel

/// Salted digests for values that must not be stored as they are.
struct Digester {
    let salt: String
    /// The salt and a NUL, which every digested text follows.
    private let saltPrefix: [UInt8]

    init(salt: String) {
        self.salt = salt
        saltPrefix = Array(salt.utf8) + [0]
    }

    func digest(_ text: String) -> String {
        var bytes = saltPrefix
        bytes += text.utf8
        return SHA256.hex(bytes)
    }

    /// The digest of a JSON value's canonical text, written straight after the salt.
    func digest(_ json: JSONValue) -> String {
        var bytes = saltPrefix
        json.appendCanonical(to: &bytes)
        return SHA256.hex(bytes)
    }

    /// A plan value for a desired or live text, redacted when sensitive.
    func value(_ text: String?, sensitive: Bool) -> PlanValue {
        guard let text else { return .absent }
        return sensitive ? .sensitive(digest: digest(text)) : .value(.string(text))
    }

    func value(_ json: JSONValue?, sensitive: Bool) -> PlanValue {
        guard let json else { return .absent }
        return sensitive ? .sensitive(digest: digest(json)) : .value(json)
    }

    /// A digest of a live installation's compared fields.
    func fingerprint(_ live: LiveInstallation) -> String {
        digest(JSONValue.object([
            "version": live.installedVersion.map(JSONValue.string) ?? .null,
            "upgrade_policy": .string(live.upgradePolicy), "resource_tier": .string(live.resourceTier),
            "config": .object(live.config.mapValues(JSONValue.string)),
        ]))
    }

    /// A digest of a live agent provider's compared fields. `card` is its card as
    /// `AgentCardRules.comparable` makes it, when the caller has it already.
    func fingerprint(_ live: LiveAgentProvider, card: JSONValue?? = nil) -> String {
        digest(JSONValue.object([
            "id": .string(live.id), "source": .string(live.source), "origin": .string(live.origin),
            "agent_card": (card ?? live.agentCard.map(AgentCardRules.comparable)) ?? .null,
            "auto_stop_timeout_sec": live.autoStopTimeoutSec.map(JSONValue.integer) ?? .null,
            "variables": live.variables.map { .object($0.mapValues(JSONValue.string)) } ?? .null,
        ]))
    }
}
