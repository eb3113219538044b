import Foundation
import ProvsyncEngine
import ProvsyncLive
import ProvsyncModel
import ProvsyncReporting
import Synchronization

/// Where a command writes: results to standard output, diagnostics and progress to standard error, the GitHub
/// job summary and reports. It is the only writer of them, and everything it writes first passes `Redaction`
/// (no secret value of the run, in any spelling) and, on the two streams, `Escaping.output` (no raw control
/// character from data, no forged workflow command).
struct Console {
    var environment: [String: String]
    /// Shared by copies of this console, so the engine's observer also hides what is learned later.
    private let redaction: Redaction
    /// Shared by copies too: the live line, and the retries not yet reported.
    private let progress: ProgressLine

    /// The credentials of `environment` are hidden from the start; `hide(_:)` adds the rest.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        redaction = Redaction(Engine(environment: environment).secrets)
        progress = ProgressLine(style: ProgressStyle.decide(standardErrorIsTerminal: Self.isErrorTerminal,
                                                            environment: environment))
    }

    /// From now on also hides `secrets` (a workspace's resolved values).
    func hide(_ secrets: SecretValues) {
        redaction.add(secrets)
    }

    /// Ordinary output; the progress line is finished first (as before `err` and `annotate`).
    func out(_ line: String, terminator: String = "\n") {
        progress.write(guarded(line) + terminator, to: .output, escape: guardedProgress)
    }

    func err(_ line: String) {
        progress.write(guarded(line) + "\n", to: .error, escape: guardedProgress)
    }

    /// A result printed while work goes on (an applied change's): above the live progress line, which stays.
    func result(_ line: String) {
        progress.writeAbove(guarded(line) + "\n", to: .output)
    }

    /// A wait's progress on standard error: the live line on a terminal, else a line.
    func showProgress(_ text: String) {
        progress.show(text, escape: guardedProgress)
    }

    /// A retry on standard error: the live line on a terminal, else the first of each reason and summaries.
    func showRetry(_ notice: RetryNotice) {
        progress.retrying(notice, escape: guardedProgress)
    }

    /// A GitHub workflow command (already escaped) on standard output.
    func annotate(_ command: String) {
        let line = Escaping.output(redaction.redact(command), colors: false, command: true)
        progress.write(line + "\n", to: .output, escape: guardedProgress)
    }

    private func guarded(_ text: String) -> String {
        Escaping.output(redaction.redact(text), colors: usesColor)
    }

    /// Progress holds no colour of its own: anything it quotes is escaped.
    private func guardedProgress(_ text: String) -> String {
        Escaping.output(redaction.redact(text), colors: false)
    }

    /// True when standard error is a terminal (progress is then one live line, unless this is CI).
    static var isErrorTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// True when standard output is a terminal (colours are drawn only then).
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
