import ProvsyncModel

/// Collects the diagnostics of one file while its documents are decoded, and reads typed values out of
/// YAML nodes. Every reader reports a wrong value at the value's position and returns nil.
struct DecodingContext {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) {
        self.file = file
    }

    /// The mark's place, in the mark's own file when it has one (a node merged from a layer).
    func location(_ mark: YAMLMark) -> SourceLocation {
        SourceLocation(file: mark.file ?? file, line: mark.line, column: mark.column)
    }

    mutating func error(_ message: String, at mark: YAMLMark) {
        diagnostics.append(.error(message, at: location(mark)))
    }

    mutating func warning(_ message: String, at mark: YAMLMark) {
        diagnostics.append(.warning(message, at: location(mark)))
    }

    /// The entries of a mapping node by key, after reporting every key not in `allowed`.
    /// `path` names the mapping in messages (`spec`, `policy`, or empty for the top level); `key` is where
    /// the mapping's own key stands, where a missing field is reported.
    mutating func fields(
        of node: YAMLNode, path: String, allowed: [String], in owner: String, key: YAMLMark? = nil
    ) -> MappingFields? {
        guard case .mapping(let entries, let mark) = node else {
            if case .scalar(let scalar) = node, scalar.resolved == .null {
                error("\(quoted(path)) has no value; it must be a mapping", at: key ?? node.mark)
            } else {
                error("\(quoted(path)) must be a mapping, not \(node.typeDescription)", at: node.mark)
            }
            return nil
        }
        var fields = MappingFields(path: path, mark: key ?? mark, entries: [:])
        for entry in entries {
            let name = entry.key.text
            if allowed.contains(name) {
                fields.entries[name] = entry
            } else if let suggestion = Suggestions.closest(to: name, among: allowed) {
                fields.suggested.insert(suggestion)
                error("unknown field \(quoted(join(path, name))) in \(owner); did you mean \"\(suggestion)\"?",
                      at: entry.key.mark)
            } else {
                error("unknown field \(quoted(join(path, name))) in \(owner); allowed: \(allowed.joined(separator: ", "))",
                      at: entry.key.mark)
            }
        }
        return fields
    }

    /// The value of a field that must be present; a missing one is reported at the mapping.
    /// Not reported again when a misspelt key was already pointed at this field ("did you mean").
    mutating func required(_ name: String, in fields: MappingFields) -> YAMLNode? {
        guard let entry = fields.entries[name] else {
            if fields.suggested.contains(name) { return nil }
            error("missing required field \(quoted(join(fields.path, name)))", at: fields.mark)
            return nil
        }
        return entry.value
    }

    /// A string field where `${env:…}` is not expanded (identities, versions, locations): a reference there
    /// is reported rather than taken literally.
    mutating func literalString(_ node: YAMLNode, path: String, required: Bool = false) -> Located<String>? {
        guard let text = string(node, path: path, required: required) else { return nil }
        if TemplateParser.mentionsEnvironment(text.value) {
            error("\(quoted(path)): ${env:…} references are expanded only in spec.config and spec.variables values",
                  at: node.mark)
            return nil
        }
        return text
    }

    /// The text of a string scalar holding no `${env:…}` reference, else nil; reports nothing (identities
    /// are read this way before decoding, which reports what is wrong).
    static func literalText(_ node: YAMLNode) -> String? {
        guard case .scalar(let scalar) = node, case .string(let text) = scalar.resolved,
              !TemplateParser.mentionsEnvironment(text) else { return nil }
        return text
    }

    mutating func string(_ node: YAMLNode, path: String, required: Bool = false) -> Located<String>? {
        guard case .scalar(let scalar) = node else {
            error("\(quoted(path)) must be a string, not \(node.typeDescription)", at: node.mark)
            return nil
        }
        switch scalar.resolved {
        case .string(let text):
            return Located(text, at: location(scalar.mark))
        case .null:
            error("\(quoted(path)) has no value; give a string\(required ? "" : " or remove the key")", at: scalar.mark)
        default:
            error("\(quoted(path)) must be a string, not \(scalar.resolved.typeDescription); quote it: \"\(scalar.text)\"",
                  at: scalar.mark)
        }
        return nil
    }

    mutating func integer(_ node: YAMLNode, path: String, in range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let scalar) = node, case .integer(let value) = scalar.resolved else {
            var message = "\(quoted(path)) must be an integer, not \(node.typeDescription)"
            if case .scalar(let scalar) = node, scalar.style == .quoted, Int(scalar.text) != nil {
                message += "; remove the quotes"
            }
            error(message, at: node.mark)
            return nil
        }
        guard range.contains(value) else {
            error("\(quoted(path)) must be between \(range.lowerBound) and \(range.upperBound), not \(scalar.text)",
                  at: scalar.mark)
            return nil
        }
        return value
    }

    mutating func bool(_ node: YAMLNode, path: String) -> Bool? {
        guard case .scalar(let scalar) = node, case .bool(let value) = scalar.resolved else {
            var message = "\(quoted(path)) must be true or false, not \(node.typeDescription)"
            if case .scalar(let scalar) = node, ["yes", "no", "on", "off", "y", "n"].contains(scalar.text.lowercased()) {
                message += " (\"\(scalar.text)\" is a string in provsync manifests)"
            }
            error(message, at: node.mark)
            return nil
        }
        return value
    }

    mutating func enumeration<Value: RawRepresentable & CaseIterable>(
        _ node: YAMLNode, path: String, as type: Value.Type
    ) -> Value? where Value.RawValue == String {
        guard let text = string(node, path: path) else { return nil }
        if let value = Value(rawValue: text.value) { return value }
        let allowed = Value.allCases.map(\.rawValue)
        error("\(quoted(path)) must be one of \(allowed.joined(separator: ", ")), not \"\(text.value)\""
              + Suggestions.hint(for: text.value, among: allowed), at: node.mark)
        return nil
    }

    /// A list of strings, each with its place.
    mutating func stringList(_ node: YAMLNode, path: String) -> [Located<String>]? {
        guard case .sequence(let items, _) = node else {
            error("\(quoted(path)) must be a list of strings, not \(node.typeDescription)", at: node.mark)
            return nil
        }
        return items.enumerated().compactMap { index, item in string(item, path: "\(path)[\(index)]") }
    }

    /// A map of environment-variable names to strings that may hold `${env:NAME}` references.
    mutating func environmentMap(_ node: YAMLNode, path: String) -> [String: TemplatedString]? {
        guard case .mapping(let entries, _) = node else {
            var message = "\(quoted(path)) must be a mapping of names to strings, not \(node.typeDescription)"
            if case .scalar(let scalar) = node, scalar.resolved == .null {
                message = "\(quoted(path)) has no value; write {} for an empty map or remove the key"
            }
            error(message, at: node.mark)
            return nil
        }
        var map: [String: TemplatedString] = [:]
        for entry in entries {
            let name = entry.key.text
            guard Self.isEnvironmentName(name) else {
                error("\(quoted(join(path, name))): \"\(name)\" is not a valid environment variable name "
                      + "(letters, digits and _, not starting with a digit)", at: entry.key.mark)
                continue
            }
            guard let text = string(entry.value, path: join(path, name)),
                  let template = TemplateParser.parse(text.value, at: entry.value, context: &self) else { continue }
            map[name] = template
        }
        return map
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }

    func join(_ path: String, _ name: String) -> String {
        path.isEmpty ? name : "\(path).\(name)"
    }

    private func quoted(_ path: String) -> String {
        "\"\(path)\""
    }
}

/// The entries of one mapping, by key, with the mapping's own path and position.
struct MappingFields {
    var path: String
    var mark: YAMLMark
    var entries: [String: YAMLMappingEntry]
    /// Fields that an unknown key was taken to be a misspelling of.
    var suggested: Set<String> = []

    subscript(name: String) -> YAMLNode? { entries[name]?.value }
}
