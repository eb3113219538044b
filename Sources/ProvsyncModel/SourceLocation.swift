/// A position in a manifest file: the file's path relative to the repository root, and a 1-based line and column.
package struct SourceLocation: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int

    package init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A whole file, for problems that have no line (a skipped symlink, say).
    package static func file(_ path: String) -> SourceLocation {
        SourceLocation(file: path, line: 0, column: 0)
    }

    /// True when the location names a line, not only a file.
    package var hasPosition: Bool { line > 0 }

    /// `path:line:column`, the form compilers and editors understand; just `path` for a whole file.
    package var description: String { hasPosition ? "\(displayFile):\(line):\(column)" : displayFile }

    /// `path:line`, as plans name where a value was set.
    package var lineDescription: String { hasPosition ? "\(displayFile):\(line)" : displayFile }

    /// The path as printed: as it is, or in double quotes with escapes (`"a\nb.yaml"`) when it holds a
    /// character that could end the line, steer a terminal or pass for the `:` before the line number (a
    /// control or format character, a line or paragraph separator, `"`, `\` or `:`). So a file name cannot
    /// forge a second diagnostic line, and an unquoted path holds no `:`.
    package var displayFile: String {
        guard file.unicodeScalars.contains(where: { $0 == "\"" || $0 == "\\" || $0 == ":" || Self.isHidden($0) }) else {
            return file
        }
        var quoted = "\""
        for scalar in file.unicodeScalars {
            if scalar == "\"" || scalar == "\\" {
                quoted += "\\\(scalar)"
            } else {
                quoted += Self.isHidden(scalar) ? scalar.escaped : String(scalar)
            }
        }
        return quoted + "\""
    }

    /// Control and format characters (bidirectional overrides among them) and line or paragraph separators.
    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isControlCharacter || scalar.properties.generalCategory == .format
    }

    package static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}

/// A value together with the place in a manifest it was read from.
package struct Located<Value> {
    package var value: Value
    package var location: SourceLocation

    package init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
extension Located: Codable where Value: Codable {}
