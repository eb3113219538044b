/// The kinds of manifest provsync understands, named as in a manifest's `kind:` field.
package enum ManifestKind: String, Sendable, Hashable, Codable, CaseIterable {
    case installation = "Installation"
    case agentProvider = "AgentProvider"
}

/// The only `apiVersion` manifests may declare today.
package let manifestAPIVersion = "provsync/v1"
