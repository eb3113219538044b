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

    @Test("literal strings are not sensitive")
    func literal() {
        let template = TemplatedString(literal: "info")
        #expect(!template.isSensitive)
        #expect(template.literalValue == "info")
        #expect(TemplatedString(literal: "").literalValue == "")
    }
}
