import ProvsyncModel

/// Decodes the `spec` of a `kind: AgentProvider` document.
extension AgentProviderKind: KindDecoding {
    package static let specFields = ["location", "origin", "auto_stop_timeout_sec", "variables", "agent_card"]
    static let autoStopRange = 1...1800

    static let policyPaths = PolicyDecoder(
        scalarFields: ["location", "origin", "auto_stop_timeout_sec"], mapFields: ["variables"],
        objectFields: ["agent_card"]
    )

    static func body(_ spec: AgentProviderManifest) -> Manifest.Body { .agentProvider(spec) }

    static func decode(
        spec: YAMLNode, key: YAMLMark?, policy: YAMLNode?, context: inout DecodingContext
    ) -> (spec: AgentProviderManifest?, identity: ManifestIdentity?) {
        let policy = policyPaths.decode(policy, kind: kind, context: &context)
        guard let fields = context.fields(of: spec, path: "spec", allowed: specFields, in: "AgentProvider spec", key: key) else {
            return (nil, nil)
        }
        var complete = true
        var location: (text: String, parsed: AgentLocation, mark: YAMLMark)?
        if let node = context.required("location", in: fields),
           let text = context.literalString(node, path: "spec.location", required: true) {
            switch AgentLocation.parse(text.value) {
            case .success(let parsed): location = (text.value, parsed, node.mark)
            case .failure(let failure): context.error("\"spec.location\": \(failure.message)", at: node.mark)
            }
        }
        var pinnedOrigin: (text: String, mark: YAMLMark)?
        if let node = fields["origin"] {
            if let text = context.literalString(node, path: "spec.origin") {
                if text.value.isEmpty || text.value.contains(where: { $0.isWhitespace }) {
                    context.error("\"spec.origin\" must be a non-empty string without spaces", at: node.mark)
                    complete = false
                } else {
                    pinnedOrigin = (text.value, node.mark)
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
        if let node = fields["agent_card"] {
            card = agentCard(node, context: &context)
            if card == nil { complete = false }
        }
        let identity = (pinnedOrigin.map { ($0.text, $0.mark) } ?? location.map { ($0.parsed.origin, $0.mark) })
            .map { ManifestIdentity(address: .agent(origin: $0.0), location: context.location($0.1)) }
        guard let location, complete else { return (nil, identity) }
        let manifest = AgentProviderManifest(
            location: location.text,
            origin: pinnedOrigin?.text ?? location.parsed.origin,
            originIsPinned: pinnedOrigin != nil,
            autoStopTimeoutSec: timeout,
            variables: variables,
            agentCard: card,
            policy: policy
        )
        return (manifest, identity)
    }

    private static func agentCard(_ node: YAMLNode, context: inout DecodingContext) -> JSONValue? {
        guard case .mapping = node else {
            var message = "\"spec.agent_card\" must be a mapping, not \(node.typeDescription)"
            if case .scalar(let scalar) = node, scalar.resolved == .null {
                message = "\"spec.agent_card\" has no value; remove the key to let the server decide the card"
            }
            context.error(message, at: node.mark)
            return nil
        }
        return json(node, path: "spec.agent_card", context: &context)
    }

    private static func json(_ node: YAMLNode, path: String, context: inout DecodingContext) -> JSONValue? {
        switch node {
        case .scalar(let scalar):
            switch scalar.resolved {
            case .null: return .null
            case .bool(let value): return .bool(value)
            case .integer(let value): return .integer(value)
            case .string(let value):
                if TemplateParser.mentionsEnvironment(value) {
                    context.error("\"\(path)\": ${env:…} references are expanded only in spec.config and "
                                  + "spec.variables values", at: scalar.mark)
                    return nil
                }
                return .string(value)
            case .float(let value):
                guard value.isFinite else {
                    context.error("\"\(path)\" must be a finite number; JSON has no \(scalar.text)", at: scalar.mark)
                    return nil
                }
                return .number(value)
            }
        case .sequence(let items, _):
            var values: [JSONValue] = []
            for (index, item) in items.enumerated() {
                guard let value = json(item, path: "\(path)[\(index)]", context: &context) else { return nil }
                values.append(value)
            }
            return .array(values)
        case .mapping(let entries, _):
            var object: [String: JSONValue] = [:]
            for entry in entries {
                guard let value = json(entry.value, path: "\(path).\(entry.key.text)", context: &context) else {
                    return nil
                }
                object[entry.key.text] = value
            }
            return .object(object)
        }
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
                "agent_card": ["type": "object", "description": "Absent means the server takes the card from the agent."],
            ],
        ]
    }
}
