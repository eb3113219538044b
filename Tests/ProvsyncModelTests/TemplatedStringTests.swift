import Testing
import ProvsyncModel

@Suite("Templated strings")
struct TemplatedStringTests {
    let here = SourceLocation(file: "m.yaml", line: 3, column: 9)

    @Test("references resolve from the environment and make the value sensitive")
    func resolves() throws {
        let template = TemplatedString(segments: [.literal("postgres://app:"), .environment(name: "PW", location: here),
                                                  .literal("@db")])
        #expect(template.isSensitive)
        #expect(template.literalValue == nil)
        #expect(try template.resolve(in: ["PW": "s3cret"]).get() == "postgres://app:s3cret@db")
    }

    @Test("an unset variable is an error at the reference, naming only the variable")
    func unset() {
        let template = TemplatedString(segments: [.environment(name: "MISSING", location: here)])
        guard case .failure(let error) = template.resolve(in: [:]) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.diagnostics.map(\.description) == ["m.yaml:3:9: error: environment variable MISSING is not set"])
    }

    @Test("an empty variable is an error like an unset one, unless the reference says empty is meant")
    func empty() throws {
        let strict = TemplatedString(segments: [.environment(name: "OPENAI_API_KEY", location: here)])
        guard case .failure(let error) = strict.resolve(in: ["OPENAI_API_KEY": ""]) else {
            Issue.record("an empty secret was taken as a value")
            return
        }
        #expect(error.diagnostics.map(\.description) == [
            "m.yaml:3:9: error: environment variable OPENAI_API_KEY is empty; an empty value would blank the field (CI "
                + "expands a missing secret, and every secret in a fork's pull request, to \"\"): set it, or write "
                + "${env:OPENAI_API_KEY:-} if empty is meant",
        ])
        let lenient = TemplatedString(segments: [.literal("x"), .environment(name: "SUFFIX", location: here, allowsEmpty: true)])
        #expect(try lenient.resolve(in: ["SUFFIX": ""]).get() == "x")
        guard case .failure = lenient.resolve(in: [:]) else {
            Issue.record("${env:NAME:-} must still refuse an unset variable")
            return
        }
    }

    @Test("literal strings are not sensitive")
    func literal() {
        let template = TemplatedString(literal: "info")
        #expect(!template.isSensitive)
        #expect(template.literalValue == "info")
        #expect(TemplatedString(literal: "").literalValue == "")
    }
}
