/// The registry of resource kinds: every kind provsync manages, named as in a manifest's `kind:` field.
/// Each stage has one exhaustive `switch` over these cases that names the kind's plug-in for that stage, so
/// adding a case makes the compiler point at every place a new kind must fill in (README, Layout).
package enum ManifestKind: String, Sendable, Hashable, Codable, CaseIterable {
    case installation = "Installation"
    case agentProvider = "AgentProvider"

    /// The first part of the kind's addresses: `installation/acme/postgres`, `agent/ghcr.io/acme/a`.
    package var addressPrefix: String {
        switch self {
        case .installation: "installation"
        case .agentProvider: "agent"
        }
    }

    /// The API that holds objects of this kind.
    package var api: ProviderAPI {
        switch self {
        case .installation: .store
        case .agentProvider: .agents
        }
    }
}

/// The two provider APIs: each has its own base URL and its own credentials.
package enum ProviderAPI: String, Sendable, Hashable, Codable, CaseIterable {
    /// The store's installation API (paths at its root).
    case store
    /// The Agent Stack API (paths under `/api/v1`).
    case agents

    /// How messages name it: `the store API`, `the agent API`.
    package var displayName: String {
        switch self {
        case .store: "the store API"
        case .agents: "the agent API"
        }
    }
}

/// The only `apiVersion` manifests may declare today.
package let manifestAPIVersion = "provsync/v1"
