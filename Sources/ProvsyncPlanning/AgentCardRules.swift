import ProvsyncModel

/// The agent API's card rules, applied to both sides before comparing: empty fields dropped, defaults
/// filled, and the three fields GET and list rewrite to the proxy left out.
package enum AgentCardRules {
    static let proxyRewrittenFields = ["url", "preferredTransport", "additionalInterfaces"]
    static let defaults: [String: JSONValue] = ["protocolVersion": "0.3.0"]

    /// `card` with the live values copied in at each ignored `agent_card.a.b` path (paths of plain keys; a
    /// pattern with `*` or an index is left alone): a PATCH replaces the whole card.
    static func keepingIgnored(_ ignore: [String], from live: JSONValue?, in card: JSONValue) -> JSONValue {
        guard let live else { return card }
        var result = card
        for pattern in ignore where pattern.hasPrefix("agent_card.") && !pattern.contains("*") && !pattern.contains("[") {
            let keys = pattern.split(separator: ".").dropFirst().map(String.init)
            result = setting(value(at: keys[...], in: live), at: keys[...], in: result)
        }
        return result
    }

    private static func value(at keys: ArraySlice<String>, in json: JSONValue) -> JSONValue? {
        guard let key = keys.first else { return json }
        guard case .object(let object) = json, let member = object[key] else { return nil }
        return value(at: keys.dropFirst(), in: member)
    }

    private static func setting(_ value: JSONValue?, at keys: ArraySlice<String>, in json: JSONValue) -> JSONValue {
        guard let key = keys.first, case .object(var object) = json else { return json }
        if keys.count == 1 {
            object[key] = value
        } else {
            object[key] = setting(value, at: keys.dropFirst(), in: object[key] ?? .object([:]))
        }
        return .object(object)
    }

    package static func comparable(_ card: JSONValue) -> JSONValue {
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
