/// The agent card rules of the agent API (a2a 0.3 AgentCard as pydantic reads it): every optional field
/// present (null when not given), defaults filled, unknown keys dropped, empty strings and lists kept.
/// Written apart from ProvsyncModel's on purpose: the sandbox shares no code with the client, so the two
/// check each other against the contract instead of agreeing by construction.
enum AgentCardNormalizer {
    static let required = ["capabilities", "defaultInputModes", "defaultOutputModes", "description", "name",
                           "skills", "url", "version"]
    static let optional = ["additionalInterfaces", "documentationUrl", "iconUrl", "provider", "security",
                           "securitySchemes", "signatures", "supportsAuthenticatedExtendedCard"]
    static let defaults: [String: SandboxJSON] = ["protocolVersion": "0.3.0", "preferredTransport": "JSONRPC"]
    static let capabilityFields = ["extensions", "pushNotifications", "stateTransitionHistory", "streaming"]
    static let extensionFields = ["description", "params", "required", "uri"]
    static let skillRequired = ["description", "id", "name", "tags"]
    static let skillOptional = ["examples", "inputModes", "outputModes", "security"]
    /// The agent-detail extension whose `params.variables` list the variables an agent needs.
    static let agentDetailURI = "https://a2a-extensions.agentstack.beeai.dev/ui/agent-detail/v1"

    /// The stored form of `card`, or the 422 issues (located under `path`, e.g. `["body", "agent_card"]`).
    static func normalize(_ card: [String: SandboxJSON], path: [ValidationIssue.LocationPart] = [.key("body"),
                          .key("agent_card")]) -> Result<[String: SandboxJSON], ValidationFailure> {
        var issues: [ValidationIssue] = []
        var result: [String: SandboxJSON] = [:]
        for name in required {
            guard let value = card[name] else {
                issues.append(ValidationIssue(type: "missing", loc: path + [.key(name)], msg: "Field required",
                                              input: .object(card)))
                continue
            }
            result[name] = value
        }
        for name in ["description", "name", "url", "version"] {
            if let value = card[name], value.stringValue == nil {
                issues.append(ValidationIssue(type: "string_type", loc: path + [.key(name)],
                                              msg: "Input should be a valid string", input: value))
            }
        }
        for name in optional { result[name] = card[name] ?? .null }
        for (name, fallback) in defaults { result[name] = card[name] ?? fallback }
        if let capabilities = card["capabilities"]?.objectValue {
            result["capabilities"] = .object(filled(capabilities, capabilityFields, transform: [
                "extensions": { value in
                    guard case .array(let items) = value else { return value }
                    return .array(items.map { item in
                        item.objectValue.map { .object(filled($0, extensionFields)) } ?? item
                    })
                },
            ]))
        }
        if case .array(let skills)? = card["skills"] {
            result["skills"] = .array(skills.map { skill in
                skill.objectValue.map { .object(filled($0, skillRequired + skillOptional)) } ?? skill
            })
        }
        return issues.isEmpty ? .success(result) : .failure(ValidationFailure(issues: issues))
    }

    /// `object` with exactly `fields`, null where absent.
    private static func filled(_ object: [String: SandboxJSON], _ fields: [String],
                               transform: [String: (SandboxJSON) -> SandboxJSON] = [:]) -> [String: SandboxJSON] {
        var result: [String: SandboxJSON] = [:]
        for name in fields {
            let value = object[name] ?? .null
            result[name] = transform[name].map { $0(value) } ?? value
        }
        return result
    }

    /// The variables the card's agent-detail extension declares.
    static func env(of card: [String: SandboxJSON]) -> [SandboxJSON]? {
        guard case .array(let extensions)? = card["capabilities"]?.objectValue?["extensions"] else { return nil }
        for item in extensions where item.objectValue?["uri"]?.stringValue == agentDetailURI {
            guard case .array(let variables)? = item.objectValue?["params"]?.objectValue?["variables"] else { continue }
            return variables
        }
        return nil
    }

    /// The card an agent serves when the sandbox runs its open built-in world.
    static func defaultCard(source: String, origin: String) -> [String: SandboxJSON] {
        let name = origin.split(separator: "/").last.map(String.init) ?? origin
        var version = "1.0.0"
        if let colon = source.lastIndex(of: ":"), !source[colon...].contains("/") {
            version = String(source[source.index(after: colon)...])
        }
        return [
            "name": .string(name), "description": .string("Agent served from \(source)"),
            "url": .string(source.hasPrefix("http") ? source : "http://localhost:8000/"), "version": .string(version),
            "capabilities": .object(["streaming": true]), "defaultInputModes": ["text/plain"],
            "defaultOutputModes": ["text/plain"], "skills": .array([]),
        ]
    }
}
