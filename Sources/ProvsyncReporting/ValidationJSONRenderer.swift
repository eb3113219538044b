import ProvsyncModel

/// What `validate --format json` prints: whether the manifests are valid, how many were read, and every
/// diagnostic with its place (`file`, `line` and `column` null where it has none). Messages are written as
/// they are; the encoder and `Escaping.jsonDocument` escape them as every JSON output is escaped.
package enum ValidationJSONRenderer {
    /// The `format_version` of the document.
    package static let formatVersion = "1"

    package static func render(manifests: Int, diagnostics: [Diagnostic]) throws -> String {
        try PlanJSONRenderer.encode([
            "format_version": .string(formatVersion),
            "valid": .bool(!diagnostics.hasErrors),
            "manifests": .integer(manifests),
            "diagnostics": .array(diagnostics.map(object)),
        ])
    }

    private static func object(_ diagnostic: Diagnostic) -> JSONValue {
        var object: [String: JSONValue] = [
            "file": .null, "line": .null, "column": .null,
            "severity": .string(diagnostic.severity.rawValue), "message": .string(diagnostic.message),
        ]
        if let location = diagnostic.location {
            object["file"] = .string(location.file)
            if location.hasPosition {
                object["line"] = .integer(location.line)
                object["column"] = .integer(location.column)
            }
        }
        return .object(object)
    }
}
