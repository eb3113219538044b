import ProvsyncModel

/// Why an answer is not what the API contract describes, with where in it (`items[3].id`). Never holds a
/// value from the answer, so it is safe to print.
struct WireError: Error, Equatable {
    enum Problem: Equatable {
        case notJSON
        case missing(String)
        case unexpected
    }

    var problem: Problem
    /// Keys and `[index]`es from the top of the answer down.
    var path: [String] = []

    init(_ problem: Problem) {
        self.problem = problem
    }

    /// The same error, one level further in: `key` is a field name or `[3]`.
    func within(_ key: String) -> WireError {
        var copy = self
        copy.path.insert(key, at: 0)
        return copy
    }

    /// `missing "id" in items[3]`, `unexpected value at items`, `not JSON`.
    var summary: String {
        let at = path.enumerated().map { $0.offset == 0 || $0.element.hasPrefix("[") ? $0.element : "." + $0.element }
            .joined()
        switch problem {
        case .notJSON: return "not JSON"
        case .missing(let key): return "missing \"\(key)\"" + (at.isEmpty ? "" : " in \(at)")
        case .unexpected: return "unexpected value at \(at.isEmpty ? "the top level" : at)"
        }
    }
}

/// A type read from a parsed JSON answer.
protocol WireReadable {
    init(wire: JSONValue) throws(WireError)
}

/// A list answer: every item must read, and a failure names its index.
extension Array: WireReadable where Element: WireReadable {
    init(wire: JSONValue) throws(WireError) {
        guard case .array(let items) = wire else { throw WireError(.unexpected) }
        self = []
        reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            do throws(WireError) {
                append(try Element(wire: item))
            } catch {
                throw error.within("[\(index)]")
            }
        }
    }
}

/// The fields of one JSON object, read leniently: what the real APIs may do as their schemas grow (a
/// missing key, a null, a value of another type) reads as nil instead of failing the whole answer.
struct WireObject {
    let fields: [String: JSONValue]

    /// The object `value` is; anything else is an unexpected value.
    init(_ value: JSONValue) throws(WireError) {
        guard case .object(let fields) = value else { throw WireError(.unexpected) }
        self.fields = fields
    }

    subscript(_ name: String) -> JSONValue? {
        fields[name]
    }

    func string(_ name: String) -> String? {
        if case .string(let text)? = fields[name] { return text }
        return nil
    }

    /// A required string; its absence is an error naming the key.
    func required(_ name: String) throws(WireError) -> String {
        guard let text = string(name) else { throw WireError(.missing(name)) }
        return text
    }

    func bool(_ name: String) -> Bool? {
        if case .bool(let value)? = fields[name] { return value }
        return nil
    }

    /// A whole number (a double without a fraction counts).
    func integer(_ name: String) -> Int? {
        fields[name]?.wholeNumber
    }

    /// An object of strings; numbers and booleans are kept as their text, nulls and others dropped.
    func stringMap(_ name: String) -> [String: String]? {
        guard case .object(let object)? = fields[name] else { return nil }
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

    /// An integer, or a double that holds a whole number within `Int`'s range.
    var wholeNumber: Int? {
        switch self {
        case .integer(let value): value
        case .number(let value): Int(exactly: value)
        default: nil
        }
    }
}
