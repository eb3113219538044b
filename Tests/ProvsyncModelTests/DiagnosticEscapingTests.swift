import Testing
import ProvsyncModel

@Suite("Diagnostic escaping")
struct DiagnosticEscapingTests {
    private func line(_ file: String, _ message: String = "bad") -> String {
        Diagnostic.error(message, at: SourceLocation(file: file, line: 2, column: 5)).description
    }

    @Test("ordinary paths print as they are, spaces, unicode, # and % included")
    func plainPaths() {
        #expect(line("m/a b#%ü名-.yaml") == "m/a b#%ü名-.yaml:2:5: error: bad")
        #expect(Diagnostic.warning("skipped", at: .file("m/a b.yaml")).description == "m/a b.yaml: warning: skipped")
    }

    @Test("a path with a line break cannot forge a second diagnostic line")
    func forgedLine() {
        let forged = line("m/x.yaml:1:1: error: fake\nm/y.yaml")
        #expect(!forged.contains("\n"))
        #expect(forged == #""m/x.yaml:1:1: error: fake\nm/y.yaml":2:5: error: bad"#)
    }

    @Test("colons, quotes, backslashes, tabs, controls and bidirectional overrides in a path are quoted")
    func quotedPaths() {
        #expect(line("a:b.yaml") == #""a:b.yaml":2:5: error: bad"#)
        #expect(line("q\"b\\t.yaml") == #""q\"b\\t.yaml":2:5: error: bad"#)
        #expect(line("t\tr\r.yaml") == #""t\tr\r.yaml":2:5: error: bad"#)
        #expect(line("e\u{1B}[2J\u{7F}\u{85}.yaml") == #""e\u{1B}[2J\u{7F}\u{85}.yaml":2:5: error: bad"#)
        #expect(line("\u{202E}lmay.yaml\u{2028}") == #""\u{202E}lmay.yaml\u{2028}":2:5: error: bad"#)
        #expect(Diagnostic.warning("skipped", at: .file("a\nb")).description == #""a\nb": warning: skipped"#)
    }

    @Test("messages keep tabs and escape line breaks and other control characters")
    func messages() {
        #expect(line("a.yaml", "x\ty") == "a.yaml:2:5: error: x\ty")
        #expect(line("a.yaml", "one\r\ntwo\u{1B}[31m\u{2029}") == #"a.yaml:2:5: error: one\r\ntwo\u{1B}[31m\u{2029}"#)
    }
}
