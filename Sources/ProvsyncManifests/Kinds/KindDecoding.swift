import ProvsyncModel

/// What reading manifests needs from a resource kind: its spec's fields, the decoding and validation of a
/// spec (every problem located), the fields `policy.ignore` and `policy.sensitive` may name, and its spec's
/// JSON Schema for editors.
protocol KindDecoding: ResourceKind {
    /// The fields a spec may hold.
    static var specFields: [String] { get }
    /// The spec fields the identity is read from: all that a layer deleting the object (`ensure: absent`)
    /// may name.
    static var identityFields: [String] { get }
    /// The spec paths a policy may name.
    static var policyPaths: PolicyDecoder { get }
    /// The schema of the spec (a `$defs` entry of `provsync schema`).
    static var specSchema: JSONValue { get }

    /// The address a raw spec claims, read without reporting anything (decoding reports what is wrong): nil
    /// when its identity fields are missing or invalid. Clashes and layers are found by it, also for specs
    /// that are invalid otherwise or incomplete patches.
    static func identity(ofSpec spec: YAMLNode, context: DecodingContext) -> ManifestIdentity?
    /// The spec, when it is valid; every problem is reported.
    static func decode(spec: YAMLNode, key: YAMLMark?, policy: YAMLNode?, context: inout DecodingContext) -> Spec?
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
    /// The document as a manifest, when its spec is valid; `identity` is what `identity(ofSpec:)` read.
    static func decodeDocument(spec: YAMLNode, key: YAMLMark?, policy: YAMLNode?, identity: ManifestIdentity?,
                               at location: SourceLocation, context: inout DecodingContext) -> Manifest? {
        let decoded = decode(spec: spec, key: key, policy: policy, context: &context)
        guard let decoded, let identity else { return nil }
        return Manifest(body(decoded), location: location, identityLocation: identity.location)
    }

    /// The `$defs` name of the spec's schema: `installationSpec`.
    static var schemaName: String {
        kind.rawValue.prefix(1).lowercased() + kind.rawValue.dropFirst() + "Spec"
    }
}
