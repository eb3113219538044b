import ProvsyncModel

/// A manifest value after `${env:…}` substitution, and whether it must be hidden.
struct ResolvedValue: Sendable, Hashable {
    var text: String
    var isSensitive: Bool
}

/// An Installation manifest with its references resolved.
struct DesiredInstallation: Sendable {
    var manifest: InstallationManifest
    var location: SourceLocation
    var config: [String: ResolvedValue]
}

/// An AgentProvider manifest with its references resolved and its location normalised.
struct DesiredAgentProvider: Sendable {
    var manifest: AgentProviderManifest
    var location: SourceLocation
    /// The location as the agent API stores it (`source`).
    var source: String
    var variables: [String: ResolvedValue]?
}

/// Every managed object's desired state, ready to be compared with live state.
package struct DesiredState: Sendable {
    var installations: [DesiredInstallation]
    var agentProviders: [DesiredAgentProvider]

    /// Resolves every `${env:NAME}` from `environment`. Each unset variable is an error at its reference;
    /// all of them are reported together.
    package static func resolve(
        _ manifests: ManifestSet, environment: [String: String]
    ) -> Result<DesiredState, DiagnosticsError> {
        var problems: [Diagnostic] = []
        func resolve(_ values: [String: TemplatedString], field: String, policy: ManifestPolicy) -> [String: ResolvedValue] {
            var resolved: [String: ResolvedValue] = [:]
            for (name, template) in values {
                switch template.resolve(in: environment) {
                case .success(let text):
                    let sensitive = template.isSensitive
                        || PathPattern.matchesAny(policy.sensitive, path: "\(field).\(name)")
                    resolved[name] = ResolvedValue(text: text, isSensitive: sensitive)
                case .failure(let error):
                    problems += error.diagnostics
                }
            }
            return resolved
        }
        var state = DesiredState(installations: [], agentProviders: [])
        for manifest in manifests.manifests {
            switch manifest.body {
            case .installation(let installation):
                state.installations.append(DesiredInstallation(
                    manifest: installation, location: manifest.location,
                    config: resolve(installation.config, field: "config", policy: installation.policy)
                ))
            case .agentProvider(let agent):
                let source = (try? AgentLocation.parse(agent.location).get())?.normalized ?? agent.location
                state.agentProviders.append(DesiredAgentProvider(
                    manifest: agent, location: manifest.location, source: source,
                    variables: agent.variables.map { resolve($0, field: "variables", policy: agent.policy) }
                ))
            }
        }
        return problems.isEmpty ? .success(state) : .failure(DiagnosticsError(Diagnostic.sortedByLocation(problems)))
    }

    /// The origins of the agent providers manifests manage (whose variables must be read).
    package var managedOrigins: Set<String> {
        Set(agentProviders.map(\.manifest.origin))
    }
}
