import ProvsyncModel

/// GitHub Actions workflow commands for diagnostics: `::error file=…,line=…,col=…::message`, the file and
/// the message escaped so that neither can end the command or start another.
package enum GitHubAnnotation {
    package static func line(for diagnostic: Diagnostic) -> String {
        var properties: [String] = []
        if let location = diagnostic.location {
            properties.append("file=\(Escaping.annotationProperty(location.file))")
            if location.hasPosition {
                properties.append("line=\(location.line)")
                properties.append("col=\(location.column)")
            }
        }
        let head = properties.isEmpty ? "::\(diagnostic.severity.rawValue)"
            : "::\(diagnostic.severity.rawValue) " + properties.joined(separator: ",")
        return head + "::" + Escaping.annotationMessage(diagnostic.message)
    }
}
