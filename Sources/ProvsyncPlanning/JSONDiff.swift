import ProvsyncModel

/// One leaf that differs between two JSON values; nil means the side has no value there.
struct LeafDifference: Equatable {
    var path: String
    var before: JSONValue?
    var after: JSONValue?
}

/// Field-by-field comparison of JSON values with dotted paths (`agent_card.skills[0].name`).
enum JSONDiff {
    static func differences(at path: String, before: JSONValue?, after: JSONValue?) -> [LeafDifference] {
        switch (before, after) {
        case let (.object(left)?, .object(right)?):
            return Set(left.keys).union(right.keys).sorted().flatMap { key in
                differences(at: "\(path).\(key)", before: left[key], after: right[key])
            }
        case let (.array(left)?, .array(right)?):
            return (0..<max(left.count, right.count)).flatMap { index in
                differences(at: "\(path)[\(index)]", before: index < left.count ? left[index] : nil,
                            after: index < right.count ? right[index] : nil)
            }
        default:
            return before == after ? [] : [LeafDifference(path: path, before: before, after: after)]
        }
    }
}

/// The agent API's card rules, applied to both sides before comparing: empty fields dropped, defaults
/// filled, and the three fields GET and list rewrite to the proxy left out.
enum AgentCardRules {
    static let proxyRewrittenFields = ["url", "preferredTransport", "additionalInterfaces"]
    static let defaults: [String: JSONValue] = ["protocolVersion": "0.3.0"]

    static func comparable(_ card: JSONValue) -> JSONValue {
        guard case .object(var object) = dropEmpty(card) ?? .object([:]) else { return card }
        for field in proxyRewrittenFields { object[field] = nil }
        for (field, value) in defaults where object[field] == nil { object[field] = value }
        return .object(object)
    }

    private static func dropEmpty(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .null: return nil
        case .string(let text): return text.isEmpty ? nil : value
        case .number(let number) where number == number.rounded() && abs(number) < 1e15:
            // JSON does not tell 1 from 1.0; the API may answer either.
            return .integer(Int(number))
        case .array(let items):
            let kept = items.compactMap(dropEmpty)
            return kept.isEmpty ? nil : .array(kept)
        case .object(let object):
            let kept = object.compactMapValues(dropEmpty)
            return kept.isEmpty ? nil : .object(kept)
        default: return value
        }
    }
}
