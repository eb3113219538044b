import Foundation
import ProvsyncLive
import Synchronization

/// How progress (waits, retries) is drawn on standard error.
enum ProgressStyle: Sendable, Hashable {
    /// One line redrawn in place (`\r`, erase line), cleared before other output: on a terminal.
    case live
    /// Ordinary lines: in CI, into a file or a pipe.
    case plain

    /// `.live` only when standard error is a terminal that can erase a line (`TERM` is not `dumb`) and this
    /// is not CI.
    static func decide(standardErrorIsTerminal: Bool, environment: [String: String]) -> ProgressStyle {
        standardErrorIsTerminal && !isCI(environment) && environment["TERM"] != "dumb" ? .live : .plain
    }

    /// CI sets `CI` (GitHub Actions to `true`); an empty value, `false` or `0` means it is not CI.
    static func isCI(_ environment: [String: String]) -> Bool {
        guard let value = environment["CI"]?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return !["", "false", "0"].contains(value)
    }
}

/// The bytes that draw progress beside ordinary output, as a value: in `.live` style one line redrawn in
/// place and erased before anything else is written; in `.plain` style each progress text is a line.
struct ProgressRenderer: Sendable, Hashable {
    enum Stream: Sendable, Hashable {
        case output, error
    }

    /// One write: `text` on `stream`.
    struct Write: Sendable, Hashable {
        var stream: Stream
        var text: String
    }

    /// Moves to the start of the line and erases it.
    static let erase = "\r\u{1B}[K"

    let style: ProgressStyle
    /// The text on the live line, if one is drawn.
    private(set) var shown: String?

    init(style: ProgressStyle) {
        self.style = style
    }

    /// Shows `text` (one line, already escaped) as the progress; on a live line cut to `width` columns so
    /// that it never wraps (a wrapped line cannot be redrawn in place).
    mutating func show(_ text: String, width: Int) -> [Write] {
        guard style == .live else { return [Write(stream: .error, text: text + "\n")] }
        let fitted = Self.fit(text, width: width)
        shown = fitted
        return [Write(stream: .error, text: Self.erase + fitted)]
    }

    /// Ordinary output after the progress: the live line erased, then `lines` (each ended by a newline; a
    /// summary of the progress, already escaped) on standard error, then `text` on `stream`.
    mutating func finish(with lines: [String] = [], then text: String, on stream: Stream) -> [Write] {
        var writes: [Write] = []
        if shown != nil {
            writes.append(Write(stream: .error, text: Self.erase))
            shown = nil
        }
        writes += lines.map { Write(stream: .error, text: $0 + "\n") }
        if !text.isEmpty {
            writes.append(Write(stream: stream, text: text))
        }
        return writes
    }

    /// `text` printed while work goes on (an applied change's result): above the live line, which is drawn
    /// again below it.
    func above(_ text: String, on stream: Stream) -> [Write] {
        guard let shown else { return [Write(stream: stream, text: text)] }
        return [Write(stream: .error, text: Self.erase), Write(stream: stream, text: text),
                Write(stream: .error, text: Self.erase + shown)]
    }

    /// `text` cut to fewer than `width` characters (the last column stays free), ending in `…` when cut.
    static func fit(_ text: String, width: Int) -> String {
        let room = max(width - 1, 2)
        return text.count <= room ? text : String(text.prefix(room - 1)) + "…"
    }
}

/// Draws a command's progress on standard error and keeps it apart from its other output; copies of a
/// console share it. All of the command's writes to its two streams go through here, one at a time.
final class ProgressLine: Sendable {
    private struct State: Sendable {
        var renderer: ProgressRenderer
        var tally = RetryTally()
    }

    let style: ProgressStyle
    private let state: Mutex<State>
    private let start = ContinuousClock.now

    init(style: ProgressStyle) {
        self.style = style
        state = Mutex(State(renderer: ProgressRenderer(style: style)))
    }

    /// Shows `text` (a wait's progress) as the live line, or as a line.
    func show(_ text: String, escape: (String) -> String) {
        state.withLock { state in
            Self.perform(state.renderer.show(escape(text), width: Self.width()))
        }
    }

    /// Counts a retry and shows it: as the live line, or in plain style the first of each reason and now and
    /// then a "still retrying" line (`RetryTally`).
    func retrying(_ notice: RetryNotice, escape: (String) -> String) {
        let now = seconds(since: start)
        state.withLock { state in
            if style == .live {
                Self.perform(state.renderer.show(escape(state.tally.count(notice)), width: Self.width()))
            } else if let line = state.tally.record(notice, at: now) {
                Self.perform(state.renderer.show(escape(line), width: Self.width()))
            }
        }
    }

    /// Writes `text` (already escaped) to `stream` after finishing the progress: the live line erased and
    /// the retries not yet reported summed up.
    func write(_ text: String, to stream: ProgressRenderer.Stream, escape: (String) -> String) {
        state.withLock { state in
            let summary = state.tally.isEmpty ? [] : state.tally.summary().map(escape)
            Self.perform(state.renderer.finish(with: summary, then: text, on: stream))
        }
    }

    /// Writes `text` (already escaped) while work goes on, above the live line; the retry summary waits.
    func writeAbove(_ text: String, to stream: ProgressRenderer.Stream) {
        state.withLock { state in
            Self.perform(state.renderer.above(text, on: stream))
        }
    }

    private static func perform(_ writes: [ProgressRenderer.Write]) {
        for write in writes {
            let handle = write.stream == .output ? FileHandle.standardOutput : FileHandle.standardError
            handle.write(Data(write.text.utf8))
        }
    }

    /// The terminal's width in columns (80 when it cannot be told).
    private static func width() -> Int {
        var size = winsize()
        let status = withUnsafeMutablePointer(to: &size) { ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), $0) }
        guard status == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
