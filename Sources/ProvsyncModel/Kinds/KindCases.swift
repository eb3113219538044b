/// The model's containers that hold one case or one list per kind. A new kind adds its case or list here;
/// the switches below are exhaustive, so the compiler names every one to fill in.
extension Manifest {
    /// A decoded document's spec, by kind.
    package enum Body: Sendable, Hashable, Codable {
        case installation(InstallationManifest)
        case agentProvider(AgentProviderManifest)

        package var kind: ManifestKind {
            switch self {
            case .installation: .installation
            case .agentProvider: .agentProvider
            }
        }

        package var address: ResourceAddress {
            switch self {
            case .installation(let spec): spec.address
            case .agentProvider(let spec): spec.address
            }
        }

        package var policy: ManifestPolicy {
            switch self {
            case .installation(let spec): spec.policy
            case .agentProvider(let spec): spec.policy
            }
        }
    }
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

/// The API calls that carry out one change, by kind. Holds resolved values, secrets included: in memory
/// only, never encoded or printed.
package enum PlannedOperation: Sendable, Hashable {
    case installation(InstallationOperation)
    case agentProvider(AgentProviderOperation)

    package var kind: ManifestKind {
        switch self {
        case .installation: .installation
        case .agentProvider: .agentProvider
        }
    }
}
