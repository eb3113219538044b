import ProvsyncModel

/// Reads `${env:NAME}` references and `$${` escapes in a manifest string.
enum TemplateParser {
    /// True when `text` holds `${env:` anywhere (a byte search; no Foundation string matching).
    static func mentionsEnvironment(_ text: String) -> Bool {
        let needle = Array("${env:".utf8)
        let bytes = Array(text.utf8)
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { start in
            bytes[start] == needle[0] && bytes[start..<(start + needle.count)].elementsEqual(needle)
        }
    }

    /// The string's segments, or nil after reporting a malformed reference at its position.
    static func parse(_ text: String, at node: YAMLNode, context: inout DecodingContext) -> TemplatedString? {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return TemplatedString(literal: text) }
        var segments: [TemplatedString.Segment] = []
        var literal = ""
        var index = text.startIndex
        var valid = true
        while index < text.endIndex {
            let rest = text[index...]
            if rest.hasPrefix("$${") {
                literal += "${"
                index = text.index(index, offsetBy: 3)
            } else if rest.hasPrefix("${") {
                let offset = text.distance(from: text.startIndex, to: index)
                let mark = markOfCharacter(offset, in: node)
                guard let close = rest.firstIndex(of: "}") else {
                    let shown = rest.prefix(40).prefix { $0 != "\n" && $0 != "\r" }
                    context.error("unterminated reference \"\(shown)\"; write ${env:NAME}, or $${ for a literal ${",
                                  at: mark)
                    return nil
                }
                let body = rest[rest.index(index, offsetBy: 2)..<close]
                var name = body.hasPrefix("env:") ? String(body.dropFirst(4)) : ""
                let allowsEmpty = name.hasSuffix(":-")
                if allowsEmpty { name.removeLast(2) }
                if DecodingContext.isEnvironmentName(name) {
                    if !literal.isEmpty { segments.append(.literal(literal)) }
                    literal = ""
                    segments.append(.environment(name: name, location: context.location(mark), allowsEmpty: allowsEmpty))
                } else {
                    let advice = DecodingContext.isEnvironmentName(String(body))
                        ? "did you mean ${env:\(body)}? ($${ writes a literal ${)"
                        : "write ${env:NAME}, or $${ for a literal ${"
                    context.error("invalid reference \"${\(body)}\"; \(advice)", at: mark)
                    valid = false
                }
                index = text.index(after: close)
            } else {
                literal.append(text[index])
                index = text.index(after: index)
            }
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        return valid ? TemplatedString(segments: segments) : nil
    }

    /// The position of a character of a scalar's value: exact when the value is written verbatim on one
    /// line, the scalar's start otherwise.
    private static func markOfCharacter(_ offset: Int, in node: YAMLNode) -> YAMLMark {
        guard case .scalar(let scalar) = node, scalar.isVerbatim else { return node.mark }
        let quote = scalar.style == .quoted ? 1 : 0
        var mark = scalar.mark
        mark.column += quote + offset
        return mark
    }
}
