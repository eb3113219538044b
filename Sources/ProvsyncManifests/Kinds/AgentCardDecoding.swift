import ProvsyncModel

/// Reads `spec.agent_card` against the AgentCard shape (`AgentCardSchema`): every unknown key, missing required
/// field and wrong type is reported where it stands, and the card becomes JSON only when it has none.
enum AgentCardDecoding {
    static let path = "spec.agent_card"

    /// The card as JSON; `key` is where `agent_card:` stands, where missing top-level fields are reported.
    static func decode(_ node: YAMLNode, key: YAMLMark, context: inout DecodingContext) -> JSONValue? {
        value(node, shape: .object(AgentCardSchema.card), path: path, key: key, context: &context)
    }

    /// `key` is the mark of the value's key, nil for a list item.
    private static func value(
        _ node: YAMLNode, shape: CardShape, path: String, key: YAMLMark?, context: inout DecodingContext
    ) -> JSONValue? {
        switch shape {
        case .string:
            return context.literalString(node, path: path, required: true).map { .string($0.value) }
        case .boolean:
            return context.bool(node, path: path).map(JSONValue.bool)
        case .list(let item):
            guard case .sequence(let items, _) = node else {
                let what = if case .string = item { "a list of strings" } else { "a list" }
                context.error("\"\(path)\" must be \(what), not \(node.typeDescription)", at: node.mark)
                return nil
            }
            let values = items.enumerated().map { index, element in
                value(element, shape: item, path: "\(path)[\(index)]", key: nil, context: &context)
            }
            let decoded = values.compactMap { $0 }
            return decoded.count == values.count ? .array(decoded) : nil
        case .object(let object):
            return self.object(node, object, path: path, key: key, context: &context)
        case .map(let member):
            guard case .mapping(let entries, _) = node else {
                context.error("\"\(path)\" must be a mapping, not \(node.typeDescription)", at: node.mark)
                return nil
            }
            var members: [String: JSONValue] = [:]
            var complete = true
            for entry in entries {
                let name = entry.key.text
                if let decoded = value(entry.value, shape: member, path: context.join(path, name), key: entry.key.mark,
                                       context: &context) {
                    members[name] = decoded
                } else { complete = false }
            }
            return complete ? .object(members) : nil
        case .any:
            return freeForm(node, path: path, context: &context)
        }
    }

    private static func object(
        _ node: YAMLNode, _ object: CardObject, path: String, key: YAMLMark?, context: inout DecodingContext
    ) -> JSONValue? {
        guard let fields = context.fields(of: node, path: path, allowed: object.allowed, in: object.owner, key: key),
              case .mapping(let entries, _) = node else { return nil }
        // Unknown keys were reported by `fields` and left out of its entries.
        var complete = fields.entries.count == entries.count
        var members: [String: JSONValue] = [:]
        for field in object.fields {
            guard let entry = fields.entries[field.name] else {
                if field.isRequired {
                    _ = context.required(field.name, in: fields)
                    complete = false
                }
                continue
            }
            if !field.isRequired, case .scalar(let scalar) = entry.value, scalar.resolved == .null {
                members[field.name] = .null
            } else if let decoded = value(entry.value, shape: field.shape, path: context.join(path, field.name),
                                          key: entry.key.mark, context: &context) {
                members[field.name] = decoded
            } else {
                complete = false
            }
        }
        return complete ? .object(members) : nil
    }

    /// Any JSON value, for the free-form parts of a card: strings may not hold `${env:…}`, numbers must be finite.
    private static func freeForm(_ node: YAMLNode, path: String, context: inout DecodingContext) -> JSONValue? {
        switch node {
        case .scalar(let scalar):
            switch scalar.resolved {
            case .null: return .null
            case .bool(let value): return .bool(value)
            case .integer(let value): return .integer(value)
            case .string:
                return context.literalString(node, path: path).map { .string($0.value) }
            case .float(let value):
                guard value.isFinite else {
                    context.error("\"\(path)\" must be a finite number; JSON has no \(scalar.text)", at: scalar.mark)
                    return nil
                }
                return .number(value)
            }
        case .sequence(let items, _):
            let values = items.enumerated().map { index, item in
                freeForm(item, path: "\(path)[\(index)]", context: &context)
            }
            let decoded = values.compactMap { $0 }
            return decoded.count == values.count ? .array(decoded) : nil
        case .mapping(let entries, _):
            var object: [String: JSONValue] = [:]
            var complete = true
            for entry in entries {
                if let value = freeForm(entry.value, path: context.join(path, entry.key.text), context: &context) {
                    object[entry.key.text] = value
                } else { complete = false }
            }
            return complete ? .object(object) : nil
        }
    }
}
