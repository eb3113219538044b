import CYAML

/// What parsing one YAML text produced: its documents, and the problems found. A syntax error stops
/// the parse (later documents of that text are lost); duplicate keys are collected and parsing goes on.
package struct YAMLParseResult: Sendable {
    package var documents: [YAMLDocument]
    package var problems: [YAMLProblem]
}

/// A problem in a YAML text, at a position of that text.
package struct YAMLProblem: Sendable, Hashable {
    package var message: String
    package var mark: YAMLMark
}

/// Parses YAML with libyaml's event API into `YAMLNode` trees that keep the line and column of every
/// key and value. Strict: duplicate keys, complex keys, unknown tags and merge keys are problems.
package enum YAMLParser {
    package static func parse(_ input: [UInt8], limits: YAMLLimits = .standard) -> YAMLParseResult {
        if input.count > limits.maxFileBytes {
            let problem = YAMLProblem(message: limits.tooLargeMessage(size: input.count), mark: YAMLMark(line: 1, column: 1))
            return YAMLParseResult(documents: [], problems: [problem])
        }
        // A UTF-8 byte-order mark (common from Windows editors) is not content; with the encoding set by
        // hand libyaml would read it as a character.
        let bytes = input.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(input.dropFirst(3)) : input
        if let problem = UTF8Check.firstInvalidSequence(in: bytes) {
            return YAMLParseResult(documents: [], problems: [problem])
        }
        var builder = YAMLTreeBuilder(limits: limits, end: bytes.withUnsafeBufferPointer(endOfContent))
        bytes.withUnsafeBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                builder.fail("could not start the YAML parser (out of memory)", at: YAMLMark(line: 1, column: 1))
                return
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while !builder.isFinished {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    builder.fail(syntaxMessage(parser, bytes: buffer),
                                 at: syntaxMark(parser, bytes: buffer, end: builder.end))
                    return
                }
                builder.handle(event)
                let isEnd = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                if isEnd { return }
            }
        }
        return YAMLParseResult(documents: builder.documents, problems: builder.problems)
    }

    private static func syntaxMessage(_ parser: yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>) -> String {
        let problem = parser.problem.map { String(cString: $0) } ?? "unreadable YAML"
        let offset = UTF8Check.byteOffset(
            of: YAMLMark(line: parser.problem_mark.line + 1, column: parser.problem_mark.column + 1), in: bytes
        )
        if problem.hasPrefix("found character that cannot start any token"), let offset, offset < bytes.count,
           bytes[offset] == UInt8(ascii: "\t") {
            return "invalid YAML: a tab cannot indent or start a value; use spaces"
        }
        var message = "invalid YAML: \(problem)"
        if let context = parser.context,
           (parser.context_mark.line, parser.context_mark.column) != (parser.problem_mark.line, parser.problem_mark.column) {
            let mark = parser.context_mark
            message += " (\(String(cString: context)) at line \(mark.line + 1), column \(mark.column + 1))"
        }
        return message
    }

    private static func syntaxMark(_ parser: yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>, end: YAMLMark) -> YAMLMark {
        if parser.error == YAML_READER_ERROR {
            return UTF8Check.mark(ofByteOffset: parser.problem_offset, in: bytes)
        }
        let mark = YAMLMark(line: parser.problem_mark.line + 1, column: parser.problem_mark.column + 1)
        return mark.line > end.line ? end : mark
    }

    /// The place just after the last character that is not a line break. libyaml puts errors and empty
    /// values at the end of input on a line after the last one; editors and annotations need a line that
    /// exists, so such marks move here.
    private static func endOfContent(_ bytes: UnsafeBufferPointer<UInt8>) -> YAMLMark {
        var content = bytes.count
        while content > 0 && (bytes[content - 1] == UInt8(ascii: "\n") || bytes[content - 1] == UInt8(ascii: "\r")) {
            content -= 1
        }
        return UTF8Check.mark(ofByteOffset: content, in: bytes)
    }
}
