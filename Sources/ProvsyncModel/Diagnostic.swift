/// A problem found in the user's input, with the place it was found when there is one.
package struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    package enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    package var severity: Severity
    package var message: String
    package var location: SourceLocation?

    package init(_ severity: Severity, _ message: String, at location: SourceLocation? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    package static func error(_ message: String, at location: SourceLocation? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: location)
    }

    package static func warning(_ message: String, at location: SourceLocation? = nil) -> Diagnostic {
        Diagnostic(.warning, message, at: location)
    }

    /// `path:line:column: error: message`, or `error: message` when the problem has no place. Always one
    /// line: line breaks and other control characters in the message are shown as escapes (`\n`), and an
    /// odd path is quoted (see `SourceLocation.displayFile`).
    package var description: String {
        let oneLine = message.escapingControlCharacters()
        if let location {
            return "\(location): \(severity.rawValue): \(oneLine)"
        }
        return "\(severity.rawValue): \(oneLine)"
    }

    /// Orders diagnostics by file and position; those without a place come first, in message order.
    package static func sortedByLocation(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            switch (lhs.element.location, rhs.element.location) {
            case (nil, nil): return lhs.offset < rhs.offset
            case (nil, _): return true
            case (_, nil): return false
            case let (left?, right?): return left == right ? lhs.offset < rhs.offset : left < right
            }
        }.map(\.element)
    }
}

extension Array where Element == Diagnostic {
    package var hasErrors: Bool { contains { $0.severity == .error } }
    package var errors: [Diagnostic] { filter { $0.severity == .error } }
}

/// Thrown when input is invalid; carries every problem found, not only the first.
package struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    package var diagnostics: [Diagnostic]

    package init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    package init(_ diagnostic: Diagnostic) {
        self.diagnostics = [diagnostic]
    }

    package var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

extension String {
    /// The text with line breaks and other control characters (but not tabs) written as escapes (`\n`,
    /// `\u{1B}`), so that it prints as one line and cannot steer a terminal.
    func escapingControlCharacters() -> String {
        let escapes = { (scalar: Unicode.Scalar) in scalar.isControlCharacter && scalar != "\t" }
        guard unicodeScalars.contains(where: escapes) else { return self }
        return unicodeScalars.map { escapes($0) ? $0.escaped : String($0) }.joined()
    }
}

extension Unicode.Scalar {
    /// Control characters (C0, DEL, C1) and line or paragraph separators.
    var isControlCharacter: Bool {
        switch properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// `\n`, `\r`, `\t`, or `\u{…}` with the character's number in hexadecimal.
    var escaped: String {
        switch self {
        case "\n": "\\n"
        case "\r": "\\r"
        case "\t": "\\t"
        default: "\\u{\(String(value, radix: 16, uppercase: true))}"
        }
    }
}
