import Foundation

/// Providers the server adds from its registry config (`registry` set), seeded at start.
enum RegistrySeed {
    static func providers(_ data: Data, localNetwork: Bool) throws -> [ProviderRecord] {
        guard case .array(let entries)? = SandboxJSON.parse(data) else {
            throw SandboxError("registry providers must be a JSON array")
        }
        return try entries.map { entry in
            guard let object = entry.objectValue, let registry = object["registry"]?.stringValue,
                  let text = object["location"]?.stringValue,
                  let location = NormalizedLocation(text, localNetwork: localNetwork),
                  let raw = object["agent_card"]?.objectValue,
                  case .success(let card) = AgentCardNormalizer.normalize(raw) else {
                throw SandboxError("registry provider: expected registry, location and a valid agent_card")
            }
            let variables = (object["variables"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            var timeout = SandboxState.defaultAutoStopSeconds
            if case .int(let seconds)? = object["auto_stop_timeout_sec"] { timeout = seconds }
            let now = Date()
            return ProviderRecord(
                id: location.id, source: location.source, origin: location.origin, isNetwork: location.isNetwork,
                createdBy: Caller.administrator.id, agentCard: card, autoStopTimeoutSec: timeout, registry: registry,
                variables: variables, env: [], createdAt: now.addingTimeInterval(-60), updatedAt: now.addingTimeInterval(-60),
                lastActiveAt: nil, lastError: nil
            )
        }
    }
}
