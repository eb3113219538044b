import Foundation
import ProvsyncEngine
import ProvsyncModel
import ProvsyncReporting
import Synchronization

/// Where a command writes: results to standard output, diagnostics to standard error, the GitHub job summary
/// and reports. It is the only writer of them, and everything it writes first passes `Redaction` (no secret
/// value of the run, in any spelling) and, on the two streams, `Escaping.output` (no raw control character
/// from data, no forged workflow command).
struct Console {
    var environment: [String: String]
    /// Shared by copies of this console, so the engine's observer also hides what is learned later.
    private let redaction: Redaction

    /// The credentials of `environment` are hidden from the start; `hide(_:)` adds the rest.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        redaction = Redaction(Engine(environment: environment).secrets)
    }

    /// From now on also hides `secrets` (a workspace's resolved values).
    func hide(_ secrets: SecretValues) {
        redaction.add(secrets)
    }

    func out(_ line: String, terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((guarded(line) + terminator).utf8))
    }

    func err(_ line: String) {
        FileHandle.standardError.write(Data((guarded(line) + "\n").utf8))
    }

    /// A GitHub workflow command (already escaped) on standard output.
    func annotate(_ command: String) {
        let line = Escaping.output(redaction.redact(command), colors: false, command: true)
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private func guarded(_ text: String) -> String {
        Escaping.output(redaction.redact(text), colors: usesColor)
    }

    /// True when standard output is a terminal (colours and progress are drawn only then).
    var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Whether text output is coloured: on a terminal, unless `NO_COLOR` is set.
    var usesColor: Bool { isTerminal && environment["NO_COLOR"] == nil }

    /// True when a person can answer a question: standard input is a terminal and this is not CI.
    var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    /// Under GitHub Actions, adds markdown to the job's summary page (`$GITHUB_STEP_SUMMARY`), when set.
    func appendStepSummary(_ markdown: String) {
        guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty,
              let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data((Escaping.output(redaction.redact(markdown), colors: false) + "\n").utf8))
    }

    /// `text` with the run's secrets hidden, for a report written to a file.
    func redacted(_ text: String) -> String {
        redaction.redact(text)
    }

    /// True under GitHub Actions, where diagnostics are also printed as workflow annotations.
    var isGitHubActions: Bool { environment["GITHUB_ACTIONS"] == "true" }

    /// Prints each diagnostic as `path:line:column: severity: message` on standard error, and under
    /// GitHub Actions also as an `::error file=…,line=…,col=…::message` annotation on standard output.
    func report(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            err(diagnostic.description)
            if isGitHubActions {
                annotate(GitHubAnnotation.line(for: diagnostic))
            }
        }
    }
}

/// The secrets a console hides, and their redactor (which knows every spelling the formats give them).
private final class Redaction: Sendable {
    private let state: Mutex<(secrets: SecretValues, redactor: Redactor)>

    init(_ secrets: SecretValues) {
        state = Mutex((secrets, Redactor(secrets, spellings: Escaping.secretSpellings)))
    }

    func add(_ more: SecretValues) {
        state.withLock { state in
            let secrets = state.secrets.union(more)
            guard secrets != state.secrets else { return }
            state = (secrets, Redactor(secrets, spellings: Escaping.secretSpellings))
        }
    }

    func redact(_ text: String) -> String {
        state.withLock { $0.redactor }.redact(text)
    }
}
