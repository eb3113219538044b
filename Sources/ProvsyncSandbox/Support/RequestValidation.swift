import Foundation

/// One FastAPI/pydantic validation problem: `{"type", "loc", "msg", "input", "ctx"}`.
struct ValidationIssue: Sendable, Encodable, Error {
    var type: String
    var loc: [LocationPart]
    var msg: String
    var input: SandboxJSON
    var ctx: [String: SandboxJSON]?

    enum LocationPart: Sendable, Encodable {
        case key(String)
        case index(Int)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .key(let key): try container.encode(key)
            case .index(let index): try container.encode(index)
            }
        }
    }
}

/// Issues carried through a `Result`.
struct ValidationFailure: Error {
    var issues: [ValidationIssue]
}

/// Reads fields of a JSON request body the way pydantic validates a model, collecting every problem.
struct BodyValidator {
    private(set) var issues: [ValidationIssue] = []
    let body: [String: SandboxJSON]

    /// nil when the body is not a JSON object; the issue (FastAPI's wording) is recorded.
    init?(_ request: SandboxRequest, issues: inout [ValidationIssue]) {
        guard !request.body.isEmpty else {
            issues.append(ValidationIssue(type: "missing", loc: [.key("body")], msg: "Field required", input: .null))
            return nil
        }
        let text = String(decoding: request.body, as: UTF8.self)
        let isJSON = request.contentType.map { $0.lowercased().hasPrefix("application/json")
            || $0.lowercased().contains("+json") } ?? true
        if isJSON, let failure = JSONErrorLocator.locate(text) {
            issues.append(ValidationIssue(type: "json_invalid", loc: [.key("body"), .index(failure.offset)],
                                          msg: "JSON decode error", input: .object([:]),
                                          ctx: ["error": .string(failure.message)]))
            return nil
        }
        self.init(isJSON ? request.json : .string(text), issues: &issues)
    }

    /// A body already parsed (the store API's).
    init?(_ json: SandboxJSON?, issues: inout [ValidationIssue]) {
        guard let json else {
            issues.append(ValidationIssue(type: "json_invalid", loc: [.key("body"), .index(0)], msg: "JSON decode error",
                                          input: .object([:]), ctx: ["error": "Expecting value"]))
            return nil
        }
        guard let object = json.objectValue else {
            issues.append(ValidationIssue(
                type: "model_attributes_type", loc: [.key("body")],
                msg: "Input should be a valid dictionary or object to extract fields from", input: json
            ))
            return nil
        }
        body = object
    }

    private func loc(_ path: [String]) -> [ValidationIssue.LocationPart] {
        [.key("body")] + path.map { .key($0) }
    }

    mutating func fail(_ issue: ValidationIssue) {
        issues.append(issue)
    }

    mutating func fail(_ type: String, _ path: [String], _ msg: String, input: SandboxJSON,
                       ctx: [String: SandboxJSON]? = nil) {
        issues.append(ValidationIssue(type: type, loc: loc(path), msg: msg, input: input, ctx: ctx))
    }

    /// A required string field; records "missing" when absent.
    mutating func requiredString(_ name: String, length: ClosedRange<Int>? = nil) -> String? {
        guard let value = body[name] else {
            fail("missing", [name], "Field required", input: .object(body))
            return nil
        }
        return string(value, path: [name], length: length)
    }

    /// An optional string field; `.some(nil)` for explicit null, nil when absent or wrong.
    mutating func optionalString(_ name: String, length: ClosedRange<Int>? = nil) -> String?? {
        guard let value = body[name] else { return .none }
        if value.isNull { return .some(nil) }
        guard let text = string(value, path: [name], length: length) else { return .none }
        return .some(text)
    }

    mutating func string(_ value: SandboxJSON, path: [String], length: ClosedRange<Int>? = nil) -> String? {
        guard let text = value.stringValue else {
            fail("string_type", path, "Input should be a valid string", input: value)
            return nil
        }
        if let length, text.count < length.lowerBound {
            fail("string_too_short", path,
                 "String should have at least \(length.lowerBound) character\(length.lowerBound == 1 ? "" : "s")",
                 input: value, ctx: ["min_length": .int(length.lowerBound)])
            return nil
        }
        if let length, text.count > length.upperBound {
            fail("string_too_long", path, "String should have at most \(length.upperBound) characters",
                 input: value, ctx: ["max_length": .int(length.upperBound)])
            return nil
        }
        return text
    }

    /// An optional enum field with a default.
    mutating func enumeration(_ name: String, allowed: [String], default fallback: String) -> String? {
        guard let value = body[name] else { return fallback }
        let expected = Self.pythonList(allowed)
        guard let text = value.stringValue, allowed.contains(text) else {
            fail("enum", [name], "Input should be \(expected)", input: value, ctx: ["expected": .string(expected)])
            return nil
        }
        return text
    }

    /// An optional object of strings; `.some(nil)` for explicit null. `nullValues` allows null entries.
    mutating func stringMap(_ name: String, nullValues: Bool = false) -> [String: String?]?? {
        guard let value = body[name] else { return .none }
        if value.isNull { return .some(nil) }
        guard let object = value.objectValue else {
            fail("dict_type", [name], "Input should be a valid dictionary", input: value)
            return .none
        }
        var map: [String: String?] = [:]
        var valid = true
        for (key, entry) in object {
            if nullValues && entry.isNull {
                map[key] = .some(nil)
            } else if let text = entry.stringValue {
                map[key] = text
            } else {
                fail("string_type", [name, key], "Input should be a valid string", input: entry)
                valid = false
            }
        }
        return valid ? .some(map) : .none
    }

    /// An optional integer in `gt < x <= le`; `.some(nil)` for explicit null.
    mutating func integer(_ name: String, greaterThan low: Int, atMost high: Int) -> Int?? {
        guard let value = body[name] else { return .none }
        if value.isNull { return .some(nil) }
        // pydantic reads integers of any size: one beyond Int compares as beyond every bound (a JSON integer that
        // big arrives as a double).
        let number: Int
        switch value {
        case .int(let int): number = int
        case .double(let double) where double.isFinite && double == double.rounded():
            number = Int(exactly: double) ?? (double > 0 ? Int.max : Int.min)
        case .string(let text) where Self.integerText(text.trimmingCharacters(in: .whitespaces)) != nil:
            number = Self.integerText(text.trimmingCharacters(in: .whitespaces)) ?? 0
        case .string:
            fail("int_parsing", [name], "Input should be a valid integer, unable to parse string as an integer",
                 input: value)
            return .none
        case .double:
            fail("int_from_float", [name], "Input should be a valid integer, got a number with a fractional part",
                 input: value)
            return .none
        default:
            fail("int_type", [name], "Input should be a valid integer", input: value)
            return .none
        }
        if number <= low {
            fail("greater_than", [name], "Input should be greater than \(low)", input: value, ctx: ["gt": .int(low)])
            return .none
        }
        if number > high {
            fail("less_than_equal", [name], "Input should be less than or equal to \(high)", input: value,
                 ctx: ["le": .int(high)])
            return .none
        }
        return .some(number)
    }

    /// Decimal digits with an optional sign, as Int; beyond Int, Int.max or Int.min.
    private static func integerText(_ text: String) -> Int? {
        if let number = Int(text) { return number }
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return text.first == "-" ? Int.min : Int.max
    }

    /// An optional object field (any JSON object); `.some(nil)` for explicit null.
    mutating func object(_ name: String) -> [String: SandboxJSON]?? {
        guard let value = body[name] else { return .none }
        if value.isNull { return .some(nil) }
        guard let object = value.objectValue else {
            fail("dict_type", [name], "Input should be a valid dictionary", input: value)
            return .none
        }
        return .some(object)
    }

    /// `'a', 'b' or 'c'`, as pydantic lists enum members.
    static func pythonList(_ values: [String]) -> String {
        let quoted = values.map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " or " + (quoted.last ?? "")
    }
}
