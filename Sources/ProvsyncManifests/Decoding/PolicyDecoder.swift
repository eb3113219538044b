import ProvsyncModel

/// Decodes a manifest's `policy:` section and checks its field paths against the kind's fields.
struct PolicyDecoder: Sendable {
    /// Fields whose value is a single scalar (a path may name only the field itself).
    var scalarFields: [String]
    /// Fields holding a string map (`config.KEY`).
    var mapFields: [String]
    /// Fields holding free-form JSON (`agent_card.skills[0].name`).
    var objectFields: [String]
    /// The identity field, which policy paths cannot name.
    var identityFields: [String] = []
    /// Whether the kind's deletes know `cascade` (an installation's active resources).
    var supportsCascade = false

    static let fields = ["ignore", "sensitive", "allow_replace", "cascade"]

    func decode(_ node: YAMLNode?, kind: ManifestKind, context: inout DecodingContext) -> ManifestPolicy {
        // An empty `policy:` means the defaults.
        var policy = ManifestPolicy()
        guard let node else { return policy }
        if case .scalar(let scalar) = node, scalar.resolved == .null { return policy }
        guard let fields = context.fields(
            of: node, path: "policy", allowed: Self.fields, in: "\(kind.rawValue) policy"
        ) else { return policy }
        for name in ["ignore", "sensitive"] {
            guard let list = fields[name].flatMap({ context.stringList($0, path: "policy.\(name)") }) else { continue }
            let paths = list.enumerated().compactMap { index, path in
                check(path, field: "policy.\(name)[\(index)]", context: &context) ? path.value : nil
            }
            if name == "ignore" { policy.ignore = paths } else { policy.sensitive = paths }
        }
        if let node = fields["allow_replace"], let allow = context.bool(node, path: "policy.allow_replace") {
            policy.allowReplace = allow
        }
        if let node = fields["cascade"], let cascade = context.bool(node, path: "policy.cascade") {
            if supportsCascade {
                policy.cascade = cascade
            } else {
                context.error("\"policy.cascade\" applies to installations (their active resources); a \(kind.rawValue) "
                              + "is deleted on its own", at: node.mark)
            }
        }
        return policy
    }

    /// Whether `path` is a dotted path into this kind's spec; reports why not at the path.
    private func check(_ path: Located<String>, field: String, context: inout DecodingContext) -> Bool {
        let mark = YAMLMark(path.location)
        let segments = path.value.split(separator: ".", omittingEmptySubsequences: false)
        guard let first = segments.first, segments.allSatisfy(Self.isValidSegment) else {
            context.error("\"\(field)\": \"\(path.value)\" is not a dotted path like config.LOG_LEVEL", at: mark)
            return false
        }
        let root = String(first)
        let roots = scalarFields + mapFields + objectFields
        if root == "spec" && segments.count > 1 {
            let rest = segments.dropFirst().joined(separator: ".")
            context.error("\"\(field)\": paths start below spec; write \"\(rest)\"", at: mark)
            return false
        }
        if identityFields.contains(root) {
            context.error("\"\(field)\": \"\(root)\" is the object's identity; it is never diffed or hidden", at: mark)
            return false
        }
        guard roots.contains(root) else {
            context.error("\"\(field)\": unknown field \"\(root)\" in path \"\(path.value)\""
                          + Suggestions.hint(for: root, among: roots), at: mark)
            return false
        }
        if scalarFields.contains(root) && segments.count > 1 {
            context.error("\"\(field)\": \"\(root)\" holds a single value; write just \"\(root)\"", at: mark)
            return false
        }
        if mapFields.contains(root) && (segments.count > 2 || segments.contains { $0.contains("[") }) {
            context.error("\"\(field)\": paths into \"\(root)\" name one key, like \(root).NAME", at: mark)
            return false
        }
        return true
    }

    /// `name`, `*`, or `name[0]` with any number of indices.
    private static func isValidSegment(_ segment: Substring) -> Bool {
        let name = segment.prefix { $0 != "[" }
        guard !name.isEmpty, !name.contains("]") else { return false }
        var rest = segment.dropFirst(name.count)
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return false }
            let digits = rest[rest.index(after: rest.startIndex)..<close]
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            rest = rest[rest.index(after: close)...]
        }
        return true
    }
}
