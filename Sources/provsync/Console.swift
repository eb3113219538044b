import Foundation
import ProvsyncModel

/// Where a command writes: results to standard output, diagnostics to standard error.
struct Console {
    var environment: [String: String] = ProcessInfo.processInfo.environment

    func out(_ line: String, terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((line + terminator).utf8))
    }

    func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// True when standard output is a terminal (colours and progress are drawn only then).
    var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Whether text output is coloured: on a terminal, unless `NO_COLOR` is set.
    var usesColor: Bool { isTerminal && environment["NO_COLOR"] == nil }

    /// True when a person can answer a question: standard input is a terminal and this is not CI.
    var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && environment["CI"] == nil }

    /// Under GitHub Actions, adds markdown to the job's summary page (`$GITHUB_STEP_SUMMARY`), when set.
    func appendStepSummary(_ markdown: String) {
        guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty,
              let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data((markdown + "\n").utf8))
    }

    /// True under GitHub Actions, where diagnostics are also printed as workflow annotations.
    var isGitHubActions: Bool { environment["GITHUB_ACTIONS"] == "true" }

    /// Prints each diagnostic as `path:line:column: severity: message` on standard error, and under
    /// GitHub Actions also as an `::error file=…,line=…,col=…::message` annotation on standard output.
    func report(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            err(diagnostic.description)
            if isGitHubActions {
                out(GitHubAnnotation.line(for: diagnostic))
            }
        }
    }
}

/// GitHub Actions workflow commands for diagnostics.
enum GitHubAnnotation {
    static func line(for diagnostic: Diagnostic) -> String {
        var properties: [String] = []
        if let location = diagnostic.location {
            properties.append("file=\(escapeProperty(location.file))")
            if location.hasPosition {
                properties.append("line=\(location.line)")
                properties.append("col=\(location.column)")
            }
        }
        let head = properties.isEmpty ? "::\(diagnostic.severity.rawValue)" : "::\(diagnostic.severity.rawValue) "
            + properties.joined(separator: ",")
        return head + "::" + escapeData(diagnostic.message)
    }

    private static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    private static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
