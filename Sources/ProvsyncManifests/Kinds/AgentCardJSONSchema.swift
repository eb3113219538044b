import ProvsyncModel

/// The card's shape as JSON Schema, for `provsync schema`: the same fields, required lists and types the decoder
/// checks, with `additionalProperties: false` wherever unknown keys are errors.
extension AgentCardSchema {
    static var jsonSchema: JSONValue {
        var schema = CardShape.object(card).jsonSchema(nullable: false)
        if case .object(var members) = schema {
            members["description"] = .string("An a2a 0.3 AgentCard, for image providers only (a network agent "
                + "serves its own card); absent means the server takes the card from the agent.")
            schema = .object(members)
        }
        return schema
    }
}

extension CardShape {
    /// The schema of a value of this shape; a nullable one also accepts null.
    func jsonSchema(nullable: Bool) -> JSONValue {
        func typed(_ type: String, _ members: [String: JSONValue] = [:]) -> JSONValue {
            var members = members
            members["type"] = nullable ? [.string(type), "null"] : .string(type)
            return .object(members)
        }
        switch self {
        case .string: return typed("string")
        case .boolean: return typed("boolean")
        case .list(let item): return typed("array", ["items": item.jsonSchema(nullable: false)])
        case .map(let member): return typed("object", ["additionalProperties": member.jsonSchema(nullable: false)])
        case .any: return [:]
        case .object(let object):
            var properties: [String: JSONValue] = [:]
            for field in object.fields {
                properties[field.name] = field.shape.jsonSchema(nullable: !field.isRequired)
            }
            var members: [String: JSONValue] = ["properties": .object(properties), "additionalProperties": false]
            if !object.required.isEmpty {
                members["required"] = .array(object.required.map(JSONValue.string))
            }
            return typed("object", members)
        }
    }
}
