import Testing
@testable import ProvsyncManifests
import ProvsyncModel

/// Places the fuzzer found outside the file they name. libyaml ends lines at CR, NEL, LS and PS as well as
/// LF, but the UTF-8 check and the clamping of end-of-input errors counted LF only; and libyaml puts the end
/// of input on a line after the last one, where it placed empty values too.
@Suite("Fuzzing findings")
struct FuzzFindingsTests {
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

    @Test("an empty value at the end of a file without a final newline is placed on the last line")
    func emptyValueAtEnd() {
        #expect(firstError(Array("# comment\n? apiVersion".utf8))
                == "m.yaml:2:13: error: \"apiVersion\" has no value; give a string or remove the key")
        #expect(firstError(Array("apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name:\n\n".utf8))
                == "m.yaml:4:17: error: \"spec.provider_name\" has no value; give a string")
    }
}
