import ProvsyncModel

/// What reading manifests needs from a resource kind: its spec's fields, the decoding and validation of a
/// spec (every problem located), the fields `policy.ignore` and `policy.sensitive` may name, and its spec's
/// JSON Schema for editors.
protocol KindDecoding: ResourceKind {
    /// The fields a spec may hold.
    static var specFields: [String] { get }
    /// The spec paths a policy may name.
    static var policyPaths: PolicyDecoder { get }
    /// The schema of the spec (a `$defs` entry of `provsync schema`).
    static var specSchema: JSONValue { get }

    /// The spec and the identity it claims (kept even when the spec is invalid, so clashes are still found).
    static func decode(spec: YAMLNode, key: YAMLMark?, policy: YAMLNode?, context: inout DecodingContext)
        -> (spec: Spec?, identity: ManifestIdentity?)
    static func body(_ spec: Spec) -> Manifest.Body
}

extension ManifestKind {
    /// The kind's decoder. A new kind adds its case here.
    var decoding: any KindDecoding.Type {
        switch self {
        case .installation: InstallationKind.self
        case .agentProvider: AgentProviderKind.self
        }
    }
}

extension KindDecoding {
    /// The document as a manifest, when its spec is valid, and the identity it claims.
    static func decodeDocument(spec: YAMLNode, key: YAMLMark?, policy: YAMLNode?, at location: SourceLocation,
                               context: inout DecodingContext) -> (Manifest?, ManifestIdentity?) {
        let (decoded, identity) = decode(spec: spec, key: key, policy: policy, context: &context)
        guard let decoded, let identity else { return (nil, identity) }
        return (Manifest(body(decoded), location: location, identityLocation: identity.location), identity)
    }

    /// The `$defs` name of the spec's schema: `installationSpec`.
    static var schemaName: String {
        kind.rawValue.prefix(1).lowercased() + kind.rawValue.dropFirst() + "Spec"
    }
}
