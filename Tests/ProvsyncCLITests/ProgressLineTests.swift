@testable import provsync
import Testing

@Suite("Progress on standard error: live line or plain lines (no process)")
struct ProgressLineTests {
    @Test("a live line only on a terminal outside CI; CI empty, false or 0 is not CI; TERM=dumb gets lines")
    func styleDecision() {
        let cases: [(terminal: Bool, environment: [String: String], style: ProgressStyle)] = [
            (true, [:], .live),
            (false, [:], .plain),
            (true, ["CI": "true"], .plain),
            (true, ["CI": "1"], .plain),
            (true, ["CI": "woodpecker"], .plain),
            (false, ["CI": "false"], .plain),
            (true, ["CI": "false"], .live),
            (true, ["CI": "FALSE"], .live),
            (true, ["CI": "0"], .live),
            (true, ["CI": ""], .live),
            (true, ["TERM": "dumb"], .plain),
            (true, ["TERM": "xterm-256color"], .live),
        ]
        for (terminal, environment, style) in cases {
            #expect(ProgressStyle.decide(standardErrorIsTerminal: terminal, environment: environment) == style,
                    "terminal \(terminal), \(environment)")
        }
    }

    @Test("live: each show redraws the line in place; output erases it first; results go above it")
    func liveBytes() {
        var renderer = ProgressRenderer(style: .live)
        #expect(renderer.show("Waiting for 2 installations", width: 80)
                == [.init(stream: .error, text: "\r\u{1B}[KWaiting for 2 installations")])
        #expect(renderer.show("Still waiting: 1 of 2 settled, 15 s elapsed.", width: 80)
                == [.init(stream: .error, text: "\r\u{1B}[KStill waiting: 1 of 2 settled, 15 s elapsed.")])
        #expect(renderer.above("+ installation/acme/pg: installed\n", on: .output) == [
            .init(stream: .error, text: "\r\u{1B}[K"),
            .init(stream: .output, text: "+ installation/acme/pg: installed\n"),
            .init(stream: .error, text: "\r\u{1B}[KStill waiting: 1 of 2 settled, 15 s elapsed."),
        ])
        let summary = ["retried 3 requests: 503 Service Unavailable"]
        #expect(renderer.finish(with: summary, then: "Waited: 2 ready\n", on: .output) == [
            .init(stream: .error, text: "\r\u{1B}[K"),
            .init(stream: .error, text: "retried 3 requests: 503 Service Unavailable\n"),
            .init(stream: .output, text: "Waited: 2 ready\n"),
        ])
        #expect(renderer.shown == nil)
        #expect(renderer.finish(then: "next\n", on: .error) == [.init(stream: .error, text: "next\n")],
                "nothing to erase once finished")
    }

    @Test("live: a line longer than the terminal is cut short of the last column, so it never wraps")
    func liveWidth() {
        var renderer = ProgressRenderer(style: .live)
        #expect(renderer.show("retrying: GET /providers/installed", width: 20)
                == [.init(stream: .error, text: "\r\u{1B}[Kretrying: GET /pro…")])
        #expect(ProgressRenderer.fit("short", width: 6) == "short")
    }

    @Test("plain: every progress text is a line of its own, and nothing is ever erased")
    func plainBytes() {
        var renderer = ProgressRenderer(style: .plain)
        #expect(renderer.show("Waiting for 2 installations", width: 10)
                == [.init(stream: .error, text: "Waiting for 2 installations\n")])
        #expect(renderer.above("result\n", on: .output) == [.init(stream: .output, text: "result\n")])
        #expect(renderer.finish(with: ["retried 1 request: 500 boom"], then: "done\n", on: .output) == [
            .init(stream: .error, text: "retried 1 request: 500 boom\n"), .init(stream: .output, text: "done\n"),
        ])
    }
}
