import Foundation

/// How each output format writes a string that came from the API or the repository (a key, a value, a name,
/// a message), so that data can neither steer a terminal nor forge a line, a workflow command, a table row,
/// a code block or HTML. Every renderer passes data through one of these.
package enum Escaping {
    /// Text: control characters (line breaks, tabs, ESC, BEL, DEL, C1), line and paragraph separators and
    /// format characters (bidirectional overrides) written as escapes: `\n`, `\r`, `\t`, `\u{1B}`.
    package static func text(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: isHidden) else { return value }
        return value.unicodeScalars.map { isHidden($0) ? escaped($0) : String($0) }.joined()
    }

    /// Markdown text (a table cell, a quote, a paragraph): `text`, then a backslash before every character
    /// markdown could read as markup (code, emphasis, links, HTML, entities, table cells).
    package static func markdown(_ value: String) -> String {
        var result = ""
        for character in text(value) {
            if markdownSpecial.contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// A markdown code span of `value` (`text` first): fenced with more backticks than any run inside, and
    /// with `|` escaped when it stands in a table cell.
    package static func markdownCode(_ value: String, inTable: Bool = false) -> String {
        let content = codeContent(value, inTable: inTable)
        var longest = 0, run = 0
        for character in content {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padding = content.hasPrefix("`") || content.hasSuffix("`") ? " " : ""
        return fence + padding + content + padding + fence
    }

    /// HTML or XML character data and attribute values: `text`, then `&`, `<`, `>`, `"` and `'` as entities.
    package static func html(_ value: String) -> String {
        var result = ""
        for character in text(value) {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }

    /// The message of a GitHub workflow command: `%`, CR and LF as `%25`, `%0D` and `%0A` (which GitHub
    /// turns back into them), other hidden characters as in `text`.
    package static func annotationMessage(_ value: String) -> String {
        workflowCommand(value, extra: [:])
    }

    /// A property of a GitHub workflow command (`file=…`): as a message, and `:` and `,` as `%3A` and `%2C`.
    package static func annotationProperty(_ value: String) -> String {
        workflowCommand(value, extra: [":": "%3A", ",": "%2C"])
    }

    /// A rendered JSON document with the hidden characters the encoder leaves raw (DEL, C1 controls, line and
    /// paragraph separators, format characters; all allowed in JSON strings, the only place they can stand)
    /// written as `\u` escapes, so the document reads back the same and prints inert.
    package static func jsonDocument(_ json: String) -> String {
        let raw = { (scalar: Unicode.Scalar) in scalar.value >= 0x7F && isHidden(scalar) }
        guard json.unicodeScalars.contains(where: raw) else { return json }
        var result = ""
        for scalar in json.unicodeScalars {
            guard raw(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            for unit in String(scalar).utf16 {
                let digits = String(unit, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            }
        }
        return result
    }

    /// The last guard of every line written to standard output or error: hidden characters escaped as in
    /// `text` except line feeds and, with `colors`, the colour codes renderers draw (`ESC [ 31 m`); and the
    /// openings of GitHub workflow commands broken (`::` starting a line, unless `command` says the line is
    /// one, and the legacy `##[` anywhere), as `\u003A` and `\u005B` (which JSON reads back as `:` and `[`).
    package static func output(_ value: String, colors: Bool, command: Bool = false) -> String {
        guard mayNeedGuard(value, command: command) else { return value }
        var lines: [String] = []
        for line in value.split(separator: "\n", omittingEmptySubsequences: false) {
            guard mayNeedGuard(line, command: command) else {
                lines.append(String(line))
                continue
            }
            var guarded = hiddenEscaped(line, colors: colors).replacingOccurrences(of: "##[", with: "##\\u005B")
            if !command, guarded.drop(while: \.isWhitespace).hasPrefix("::"),
               let colon = guarded.firstIndex(of: ":") {
                guarded.replaceSubrange(colon...colon, with: "\\u003A")
            }
            lines.append(guarded)
        }
        return lines.joined(separator: "\n")
    }

    /// The spellings a secret may have in output: as it is, as a JSON string (an API echoing a request body),
    /// with its whitespace collapsed (API messages are made one line), and each of these as every format
    /// here writes it. The redactor hides every one of them.
    package static let secretSpellings: [@Sendable (String) -> String] = {
        let echoed: [@Sendable (String) -> String] = [
            { $0 }, { jsonString($0, escapingSlashes: false) }, { jsonString($0, escapingSlashes: true) },
            { $0.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") },
        ]
        let written: [@Sendable (String) -> String] = [
            { $0 }, text, markdown, { codeContent($0, inTable: true) }, html, annotationMessage, annotationProperty,
            { jsonString($0, escapingSlashes: false) },
        ]
        return echoed.flatMap { echo in written.map { write in { @Sendable value in write(echo(value)) } } }
    }()

    // MARK: Parts

    /// What a code span holds: `text`, with `|` escaped in a table cell.
    private static func codeContent(_ value: String, inTable: Bool) -> String {
        inTable ? text(value).replacingOccurrences(of: "|", with: "\\|") : text(value)
    }

    private static let markdownSpecial: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "&", "~"]

    /// Control characters (C0, DEL, C1), line and paragraph separators and format characters.
    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        if (0x20..<0x7F).contains(scalar.value) { return false }
        return switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator, .format: true
        default: false
        }
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": "\\n"
        case "\r": "\\r"
        case "\t": "\\t"
        default: "\\u{\(hex(scalar))}"
        }
    }

    private static func hex(_ scalar: Unicode.Scalar) -> String {
        String(scalar.value, radix: 16, uppercase: true)
    }

    private static func workflowCommand(_ value: String, extra: [Unicode.Scalar: String]) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "%": result += "%25"
            case "\r": result += "%0D"
            case "\n": result += "%0A"
            case _ where extra[scalar] != nil: result += extra[scalar] ?? ""
            case _ where isHidden(scalar): result += escaped(scalar)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A quick scan of the bytes: false when `output` would change nothing (the common case, kept cheap for
    /// plans of thousands of objects).
    private static func mayNeedGuard(_ value: some StringProtocol, command: Bool) -> Bool {
        var lineStart = true, previous: UInt8 = 0, beforePrevious: UInt8 = 0, nonASCII = false
        for byte in value.utf8 {
            switch byte {
            case 0x0A: lineStart = true
            case ..<0x20, 0x7F: return true
            case 0x80...:
                if lineStart && !command { return true }
                nonASCII = true
                lineStart = false
            case UInt8(ascii: ":") where lineStart:
                if previous == UInt8(ascii: ":") && !command { return true }
            case UInt8(ascii: "[") where previous == UInt8(ascii: "#") && beforePrevious == UInt8(ascii: "#"):
                return true
            case UInt8(ascii: " "): break
            default: lineStart = false
            }
            (beforePrevious, previous) = (previous, byte)
        }
        return nonASCII && value.unicodeScalars.contains { $0.value >= 0x80 && isHidden($0) }
    }

    /// Hidden characters of one line escaped; with `colors`, `ESC [ digits;… m` kept.
    private static func hiddenEscaped(_ line: Substring, colors: Bool) -> String {
        guard line.unicodeScalars.contains(where: isHidden) else { return String(line) }
        var result = ""
        var scalars = line.unicodeScalars[...]
        while let scalar = scalars.first {
            if colors, scalar == "\u{1B}", let length = colorCodeLength(scalars) {
                result.unicodeScalars.append(contentsOf: scalars.prefix(length))
                scalars = scalars.dropFirst(length)
                continue
            }
            result += isHidden(scalar) ? escaped(scalar) : String(scalar)
            scalars = scalars.dropFirst()
        }
        return result
    }

    /// The length of the SGR sequence (`ESC [ 0;31 m`) at the start of `scalars`, or nil when there is none.
    private static func colorCodeLength(_ scalars: Substring.UnicodeScalarView.SubSequence) -> Int? {
        var index = scalars.index(after: scalars.startIndex)
        guard index < scalars.endIndex, scalars[index] == "[" else { return nil }
        index = scalars.index(after: index)
        while index < scalars.endIndex, scalars[index] == ";" || ("0"..."9").contains(scalars[index]) {
            index = scalars.index(after: index)
        }
        guard index < scalars.endIndex, scalars[index] == "m" else { return nil }
        return scalars.distance(from: scalars.startIndex, to: index) + 1
    }

    /// `value` as the inside of a JSON string (without the quotes), as common encoders write it.
    private static func jsonString(_ value: String, escapingSlashes: Bool) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "/" where escapingSlashes: result += "\\/"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                result += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
