import Testing
import ProvsyncModel

@Suite("Diagnostics and addresses")
struct DiagnosticTests {
    @Test("diagnostics render as path:line:column: severity: message")
    func rendering() {
        #expect(Diagnostic.error("bad", at: SourceLocation(file: "a.yaml", line: 2, column: 5)).description
                == "a.yaml:2:5: error: bad")
        #expect(Diagnostic.warning("skipped", at: .file("m/link.yaml")).description == "m/link.yaml: warning: skipped")
        #expect(Diagnostic.error("no repo").description == "error: no repo")
    }

    @Test("sorting orders by file, line and column, keeping unlocated ones first")
    func sorting() {
        let diagnostics: [Diagnostic] = [
            .error("b2", at: SourceLocation(file: "b.yaml", line: 2, column: 1)),
            .error("a10", at: SourceLocation(file: "a.yaml", line: 10, column: 1)),
            .error("general"),
            .error("a2c7", at: SourceLocation(file: "a.yaml", line: 2, column: 7)),
            .error("a2c3", at: SourceLocation(file: "a.yaml", line: 2, column: 3)),
        ]
        #expect(Diagnostic.sortedByLocation(diagnostics).map(\.message) == ["general", "a2c3", "a2c7", "a10", "b2"])
    }

    @Test("addresses print and parse back")
    func addresses() {
        let installation = ResourceAddress.installation(providerName: "acme/postgres")
        let agent = ResourceAddress.agent(origin: "ghcr.io/acme/agent")
        #expect(installation.description == "installation/acme/postgres")
        #expect(agent.description == "agent/ghcr.io/acme/agent")
        #expect(ResourceAddress(parsing: "installation/acme/postgres") == installation)
        #expect(ResourceAddress(parsing: "agent/ghcr.io/acme/agent") == agent)
        #expect(ResourceAddress(parsing: "agent/") == nil)
        #expect(ResourceAddress(parsing: "bucket/x") == nil)
    }
}
