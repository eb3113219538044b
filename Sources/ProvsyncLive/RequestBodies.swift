import ProvsyncModel

/// The JSON bodies of the write requests. They may hold secrets (config values, variables), so they are
/// only ever sent, never printed.
enum RequestBodies {
    /// `POST /providers/install`; `version` is sent as null when nil (= latest).
    static func install(_ request: InstallRequest) -> JSONValue {
        .object([
            "provider_name": .string(request.providerName),
            "version": request.version.map(JSONValue.string) ?? .null,
            "resource_tier": .string(request.resourceTier.rawValue),
            "upgrade_policy": .string(request.upgradePolicy.rawValue),
            "config": .object(request.config.mapValues(JSONValue.string)),
        ])
    }

    /// `POST .../upgrade`: `{"version": v}`, null for the latest.
    static func upgrade(to version: String?) -> JSONValue {
        .object(["version": version.map(JSONValue.string) ?? .null])
    }

    /// `POST .../downgrade`: `{"target_version": v}`.
    static func downgrade(to version: String) -> JSONValue {
        .object(["target_version": .string(version)])
    }

    /// Create, preview and PATCH bodies: nil fields are left out (on PATCH that keeps the server's value).
    static func agentProvider(_ request: AgentProviderRequest) -> JSONValue {
        var body: [String: JSONValue] = [:]
        if let location = request.location { body["location"] = .string(location) }
        if let origin = request.origin { body["origin"] = .string(origin) }
        if let card = request.agentCard { body["agent_card"] = card }
        if let variables = request.variables { body["variables"] = .object(variables.mapValues(JSONValue.string)) }
        if let timeout = request.autoStopTimeoutSec { body["auto_stop_timeout_sec"] = .integer(timeout) }
        return .object(body)
    }
}
