import ProvsyncModel

/// A key for reading JSON objects field by field.
struct JSONKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) {
        stringValue = name
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }
}

/// Field readers that tolerate what the real APIs may do as their schemas grow: a missing key, a null,
/// or a value of another type reads as nil instead of failing the whole answer.
extension KeyedDecodingContainer where Key == JSONKey {
    func optional<Value: Decodable>(_ type: Value.Type, _ name: String) -> Value? {
        (try? decodeIfPresent(Value.self, forKey: JSONKey(name))) ?? nil
    }

    func string(_ name: String) -> String? {
        optional(String.self, name)
    }

    /// A required string; its absence is an error naming the key.
    func required(_ name: String) throws -> String {
        guard let value = string(name) else {
            throw DecodingError.keyNotFound(JSONKey(name), .init(codingPath: codingPath, debugDescription: name))
        }
        return value
    }

    /// An object of strings; numbers and booleans are kept as their text, nulls and others dropped.
    func stringMap(_ name: String) -> [String: String]? {
        guard let object = optional([String: JSONValue].self, name) else { return nil }
        return object.compactMapValues(\.scalarText)
    }
}

extension JSONValue {
    /// The text of a scalar; nil for null, arrays and objects.
    var scalarText: String? {
        switch self {
        case .string(let text): text
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .bool(let value): String(value)
        case .null, .array, .object: nil
        }
    }
}
