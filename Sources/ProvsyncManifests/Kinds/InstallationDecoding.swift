import ProvsyncModel

/// Decodes the `spec` of a `kind: Installation` document.
extension InstallationKind: KindDecoding {
    package static let specFields = ["provider_name", "version", "resource_tier", "upgrade_policy", "config"]
    static let identityFields = ["provider_name"]
    static let maxProviderNameLength = 200

    static let policyPaths = PolicyDecoder(
        scalarFields: ["version", "resource_tier", "upgrade_policy"], mapFields: ["config"], objectFields: [],
        identityFields: identityFields, supportsCascade: true
    )

    static func body(_ spec: InstallationManifest) -> Manifest.Body { .installation(spec) }

    static func identity(ofSpec spec: YAMLNode, context: DecodingContext) -> ManifestIdentity? {
        guard let node = spec.value(forKey: "provider_name"), let name = DecodingContext.literalText(node),
              providerNameProblem(name) == nil else { return nil }
        return ManifestIdentity(address: .installation(providerName: name), location: context.location(node.mark))
    }

    static func decode(
        spec: YAMLNode, key: YAMLMark?, policy: YAMLNode?, context: inout DecodingContext
    ) -> InstallationManifest? {
        let policy = policyPaths.decode(policy, kind: kind, context: &context)
        guard let fields = context.fields(of: spec, path: "spec", allowed: specFields, in: "Installation spec", key: key) else {
            return nil
        }
        var complete = true
        let name = context.required("provider_name", in: fields).flatMap { providerName($0, context: &context) }
        var manifest = InstallationManifest(providerName: name?.value ?? "", policy: policy)
        if let node = fields["version"] {
            if let version = version(node, context: &context) { manifest.version = version } else { complete = false }
        }
        if let node = fields["resource_tier"] {
            if let tier = context.enumeration(node, path: "spec.resource_tier", as: ResourceTier.self) {
                manifest.resourceTier = tier
            } else { complete = false }
        }
        if let node = fields["upgrade_policy"] {
            if let upgrade = context.enumeration(node, path: "spec.upgrade_policy", as: UpgradePolicy.self) {
                manifest.upgradePolicy = upgrade
            } else { complete = false }
        }
        if let node = fields["config"] {
            if let config = context.environmentMap(node, path: "spec.config") { manifest.config = config } else {
                complete = false
            }
        }
        return name != nil && complete ? manifest : nil
    }

    private static func providerName(_ node: YAMLNode, context: inout DecodingContext) -> Located<String>? {
        guard let name = context.literalString(node, path: "spec.provider_name", required: true) else { return nil }
        if let problem = providerNameProblem(name.value) {
            context.error(problem, at: node.mark)
            return nil
        }
        return name
    }

    /// What is wrong with a provider name, or nil when it is a valid `org/name`.
    private static func providerNameProblem(_ name: String) -> String? {
        if name.count > maxProviderNameLength {
            return "\"spec.provider_name\" must be at most \(maxProviderNameLength) characters, not \(name.count)"
        }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }), !name.contains(where: { $0.isWhitespace }) else {
            return "\"spec.provider_name\" must be \"org/name\", not \"\(name)\""
        }
        return nil
    }

    private static func version(_ node: YAMLNode, context: inout DecodingContext) -> String? {
        if case .scalar(let scalar) = node, scalar.resolved.isNumber {
            context.error("\"spec.version\" must be a semantic version string like \"1.4.2\", "
                          + "not the number \(scalar.text)", at: node.mark)
            return nil
        }
        guard let text = context.literalString(node, path: "spec.version") else { return nil }
        guard SemanticVersion(text.value) != nil else {
            var hint = ""
            if text.value == "latest" {
                hint = "; remove the field to install the latest version"
            } else if text.value.hasPrefix("v"), SemanticVersion(String(text.value.dropFirst())) != nil {
                hint = "; drop the leading v"
            }
            context.error("\"spec.version\" must be a semantic version like \"1.4.2\", not \"\(text.value)\"\(hint)",
                          at: node.mark)
            return nil
        }
        return text.value
    }

    static var specSchema: JSONValue {
        [
            "type": "object",
            "required": ["provider_name"],
            "additionalProperties": false,
            "properties": [
                "provider_name": [
                    "type": "string", "description": "org/name; the installation's identity.",
                    "pattern": "^[^/\\s]+/[^/\\s]+$",
                    "maxLength": .integer(maxProviderNameLength),
                ],
                "version": [
                    "type": "string", "pattern": .string(ManifestSchema.semanticVersionPattern),
                    "description": "A pinned semantic version; absent means latest at install, then not compared.",
                ],
                "resource_tier": ManifestSchema.enumeration(ResourceTier.self, default: ResourceTier.standard.rawValue),
                "upgrade_policy": ManifestSchema.enumeration(UpgradePolicy.self, default: UpgradePolicy.manual.rawValue),
                "config": ["$ref": "#/$defs/environmentMap"],
            ],
        ]
    }
}
