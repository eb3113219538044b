import Testing
@testable import ProvsyncManifests
import ProvsyncModel

/// Found by the fuzzer: libyaml ends lines at CR, NEL, LS and PS as well as LF, but the UTF-8 check and
/// the clamping of end-of-input errors counted LF only, so their lines and columns disagreed with libyaml's
/// and could name a place past the end of a line.
@Suite("Line breaks in positions")
struct LineBreakTests {
    private func firstError(_ bytes: [UInt8]) -> String? {
        ManifestDecoder.decode(file: "m.yaml", bytes: bytes).diagnostics.first?.description
    }

    @Test("an error at the end of a file with CR line ends is on its last line, not past the first")
    func carriageReturns() {
        #expect(firstError(Array("a: 1\rb: [\r".utf8))?.hasPrefix("m.yaml:2:5: error: invalid YAML") == true)
    }

    @Test("a syntax error after a line separator is on the next line")
    func lineSeparator() {
        #expect(firstError(Array("# a\u{2028}b: c: d\n".utf8))
                == "m.yaml:2:5: error: invalid YAML: mapping values are not allowed in this context")
    }

    @Test("a byte that is not UTF-8 after a next-line character is placed on libyaml's line")
    func invalidUTF8AfterNextLine() {
        #expect(firstError(Array("a: x\u{85}b: ".utf8) + [0xFF, 0x0A])
                == "m.yaml:2:4: error: file is not valid UTF-8 (byte 0xFF)")
    }

    @Test("a tab after a CR line end is still reported as a tab")
    func tabAfterCarriageReturn() {
        #expect(firstError(Array("a: 1\rspec:\r\tb: 2\r".utf8))
                == "m.yaml:3:1: error: invalid YAML: a tab cannot indent or start a value; use spaces")
    }
}
