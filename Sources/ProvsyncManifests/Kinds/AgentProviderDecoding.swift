import ProvsyncModel

/// Decodes the `spec` of a `kind: AgentProvider` document.
extension AgentProviderKind: KindDecoding {
    package static let specFields = ["location", "origin", "auto_stop_timeout_sec", "variables", "agent_card"]
    static let identityFields = ["origin", "location"]
    static let autoStopRange = 1...1800

    static let policyPaths = PolicyDecoder(
        scalarFields: ["location", "origin", "auto_stop_timeout_sec"], mapFields: ["variables"],
        objectFields: ["agent_card"]
    )

    static func body(_ spec: AgentProviderManifest) -> Manifest.Body { .agentProvider(spec) }

    /// The pinned `origin` when it is valid, else the origin of `location`.
    static func identity(ofSpec spec: YAMLNode, context: DecodingContext) -> ManifestIdentity? {
        let locationNode = spec.value(forKey: "location")
        var parsed: AgentLocation?
        if let text = locationNode.flatMap(DecodingContext.literalText),
           case .success(let location) = AgentLocation.parse(text) {
            parsed = location
        }
        if let node = spec.value(forKey: "origin"), let origin = DecodingContext.literalText(node),
           originProblem(origin, of: parsed) == nil {
            return ManifestIdentity(address: .agent(origin: origin), location: context.location(node.mark))
        }
        guard let locationNode, let parsed else { return nil }
        return ManifestIdentity(address: .agent(origin: parsed.origin), location: context.location(locationNode.mark))
    }

    static func decode(
        spec: YAMLNode, key: YAMLMark?, policy: YAMLNode?, context: inout DecodingContext
    ) -> AgentProviderManifest? {
        let policy = policyPaths.decode(policy, kind: kind, context: &context)
        guard let fields = context.fields(of: spec, path: "spec", allowed: specFields, in: "AgentProvider spec", key: key) else {
            return nil
        }
        var complete = true
        var location: (text: String, parsed: AgentLocation)?
        if let node = context.required("location", in: fields),
           let text = context.literalString(node, path: "spec.location", required: true) {
            switch AgentLocation.parse(text.value) {
            case .success(let parsed): location = (text.value, parsed)
            case .failure(let failure): context.error("\"spec.location\": \(failure.message)", at: node.mark)
            }
        }
        var pinnedOrigin: String?
        if let node = fields["origin"] {
            if let text = context.literalString(node, path: "spec.origin") {
                if let problem = originProblem(text.value, of: location?.parsed) {
                    context.error(problem, at: node.mark)
                    complete = false
                } else {
                    pinnedOrigin = text.value
                }
            } else { complete = false }
        }
        var timeout: Int?
        if let node = fields["auto_stop_timeout_sec"] {
            timeout = context.integer(node, path: "spec.auto_stop_timeout_sec", in: autoStopRange)
            if timeout == nil { complete = false }
        }
        var variables: [String: TemplatedString]?
        if let node = fields["variables"] {
            variables = context.environmentMap(node, path: "spec.variables")
            if variables == nil { complete = false }
        }
        var card: JSONValue?
        if let entry = fields.entries["agent_card"] {
            if let location, let message = NetworkProviderRules.agentCard(of: location.parsed) {
                context.error(message, at: entry.key.mark)
            } else {
                card = agentCard(entry, context: &context)
            }
            if card == nil { complete = false }
        }
        guard let location, complete else { return nil }
        return AgentProviderManifest(
            location: location.text,
            origin: pinnedOrigin ?? location.parsed.origin,
            originIsPinned: pinnedOrigin != nil,
            autoStopTimeoutSec: timeout,
            variables: variables,
            agentCard: card,
            policy: policy
        )
    }

    /// What is wrong with a pinned origin (beside the location it pins, when that is valid), or nil.
    private static func originProblem(_ origin: String, of location: AgentLocation?) -> String? {
        if origin.isEmpty || origin.contains(where: { $0.isWhitespace }) {
            return "\"spec.origin\" must be a non-empty string without spaces"
        }
        return location.flatMap { NetworkProviderRules.pinnedOrigin(origin, of: $0) }
    }

    private static func agentCard(_ entry: YAMLMappingEntry, context: inout DecodingContext) -> JSONValue? {
        let node = entry.value
        guard case .mapping = node else {
            var message = "\"spec.agent_card\" must be a mapping, not \(node.typeDescription)"
            if case .scalar(let scalar) = node, scalar.resolved == .null {
                message = "\"spec.agent_card\" has no value; remove the key to let the server decide the card"
            }
            context.error(message, at: node.mark)
            return nil
        }
        return AgentCardDecoding.decode(node, key: entry.key.mark, context: &context)
    }

    static var specSchema: JSONValue {
        [
            "type": "object",
            "required": ["location"],
            "additionalProperties": false,
            "properties": [
                "location": [
                    "type": "string", "minLength": 1,
                    "description": "A container image reference, or an http(s) URL of a network agent.",
                ],
                "origin": [
                    "type": "string", "minLength": 1, "pattern": "^\\S+$",
                    "description": "The agent's identity; derived from location when absent.",
                ],
                "auto_stop_timeout_sec": [
                    "type": "integer",
                    "minimum": .integer(autoStopRange.lowerBound),
                    "maximum": .integer(autoStopRange.upperBound),
                ],
                "variables": ["$ref": "#/$defs/environmentMap"],
                "agent_card": AgentCardSchema.jsonSchema,
            ],
            "if": ["properties": ["location": ["type": "string", "pattern": "^https?://"]], "required": ["location"]],
            "then": [
                "description": "A network agent serves its own card; the server replaces any other within 5 s.",
                "properties": ["agent_card": false],
            ],
        ]
    }
}
