import Foundation
import Testing
import ProvsyncModel
@testable import ProvsyncReporting

/// Keys, values, names and messages as a hostile API or repository may send them.
private enum Hostile {
    static let command = "K\n::warning file=README.md,line=1::INJECTED-BY-API"
    static let terminal = "E\u{1B}]0;pwned\u{07}\u{1B}[2J\r"
    static let markup = "P|`x`<img src=x onerror=alert(1)>"
    static let legacy = "L ##[warning]legacy"
    static let bidi = "B\u{202E}gpj.exe\u{85}"
    static let keys = [command, terminal, markup, legacy, bidi]

    static let source = ManifestSource(repository: "/repo", ref: "HEAD", commit: String(repeating: "a", count: 40),
                                       isWorkingTree: false)
    static let place = ProvsyncModel.SourceLocation(file: "manifests/m.yaml", line: 1, column: 1)

    static var plan: Plan {
        let differences = keys.map { FieldDifference(path: "config.\($0)", before: .value(.string($0)), after: .absent) }
        let change = PlannedChange(address: .installation(providerName: "acme/\(command)"), action: .replace,
                                   reason: "config changed: \(markup)", manifest: place, differences: differences,
                                   liveFingerprint: nil, refusal: "refused \(command)")
        return Plan(source: source, changes: [change], unmanaged: [.installation(providerName: "zz/\(terminal)")],
                    desiredDigest: "", salt: "s")
    }

    static var drift: DriftReport {
        let differences = keys.map { DriftDifference(path: "config.\($0)", live: .value(.string($0)), desired: .absent) }
        return DriftReport(source: source, resources: [
            DriftedResource(address: .installation(providerName: "acme/\(markup)"), status: .drifted,
                            differences: differences, manifest: place),
            DriftedResource(address: .installation(providerName: "acme/sick"), status: .unhealthy, manifest: place,
                            health: "failed: \(command)"),
        ], unmanaged: [.installation(providerName: "zz/\(command)")])
    }

    static var apply: ApplyReport {
        ApplyReport(results: [ApplyResult(address: .installation(providerName: "acme/\(terminal)"), action: .install,
                                          outcome: .failed("POST /providers/install: 400 \(command) \(terminal)"))])
    }
}

/// No line is read as a workflow command, and no control character but the line feeds is raw.
private func expectInert(_ output: String, colors: Bool = false, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let uncoloured = colors ? output.replacing(#/\u{1B}\[[0-9;]*m/#, with: "") : output
    #expect(!uncoloured.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" },
            "a raw control character:\n\(output)", sourceLocation: sourceLocation)
    for line in output.split(separator: "\n") {
        #expect(!line.drop(while: \.isWhitespace).hasPrefix("::"), "a workflow command: \(line)", sourceLocation: sourceLocation)
    }
}

/// The markdown without its fenced blocks, escaped characters and code spans: what GitHub reads as markup.
private func markup(_ markdown: String) -> String {
    var inFence = false
    var kept: [Substring] = []
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("```") {
            inFence.toggle()
        } else if !inFence {
            kept.append(line)
        }
    }
    return kept.joined(separator: "\n").replacing(#/\\./#, with: "").replacing(#/(`+).+?\1/#, with: "")
}

/// The pipes of a markdown table row that separate cells.
private func cellPipes(_ row: Substring) -> Int {
    row.replacingOccurrences(of: "\\|", with: "").count { $0 == "|" }
}

@Suite("Escaping of data in every format")
struct EscapingTests {
    @Test("text: line breaks, ESC, BEL, CR, DEL, C1 and bidi overrides become escapes")
    func text() {
        #expect(Escaping.text(Hostile.command) == #"K\n::warning file=README.md,line=1::INJECTED-BY-API"#)
        #expect(Escaping.text(Hostile.terminal) == #"E\u{1B}]0;pwned\u{7}\u{1B}[2J\r"#)
        #expect(Escaping.text("a\u{7F}b\u{9B}c\u{202E}d\te") == #"a\u{7F}b\u{9B}c\u{202E}d\te"#)
        #expect(Escaping.text("plain: ünïcode → ok") == "plain: ünïcode → ok")
    }

    @Test("plans, drift reports and apply reports as text keep hostile keys on their own line, inert")
    func textRenderings() {
        let plan = PlanTextRenderer(colors: false).render(Hostile.plan)
        expectInert(plan)
        expectInert(PlanTextRenderer(colors: true).render(Hostile.plan), colors: true)
        #expect(plan.contains(#"        config.K\n::warning file=README.md,line=1::INJECTED-BY-API: "K\n::warning"#))
        #expect(plan.contains(#"  installation/zz/E\u{1B}]0;pwned\u{7}\u{1B}[2J\r"#))
        expectInert(DriftRenderer.text(Hostile.drift))
        #expect(DriftRenderer.text(Hostile.drift).contains(#"health: failed: K\n::warning"#))
        let apply = ApplyReportRenderer.render(Hostile.apply, dryRun: false)
        expectInert(apply)
        #expect(apply.contains(#"400 K\n::warning file=README.md,line=1::INJECTED-BY-API E\u{1B}]0;pwned"#))
    }

    @Test("markdown: no raw HTML, every table row keeps its cells, every diff block closes")
    func markdown() {
        for output in [PlanMarkdownRenderer().render(Hostile.plan), DriftRenderer.markdown(Hostile.drift)] {
            expectInert(output)
            #expect(!markup(output).contains("<img"), "raw HTML:\n\(output)")
            let rows = output.split(separator: "\n").filter { $0.hasPrefix("|") }
            #expect(rows.count >= 3)
            #expect(Set(rows.map(cellPipes)).count == 1, "a row with more or fewer cells:\n\(output)")
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count { $0.hasPrefix("```") } == 2 * lines.count { $0 == "```diff" })
        }
        #expect(Escaping.markdown("a|b`c<d>*e_[f](g)&h~") == #"a\|b\`c\<d\>\*e\_\[f\](g)\&h\~"#)
        #expect(Escaping.markdownCode("a`b") == "``a`b``")
        #expect(Escaping.markdownCode("`a``") == "``` `a`` ```")
        #expect(Escaping.markdownCode("a|b", inTable: true) == #"`a\|b`"#)
        #expect(Escaping.html("<b>\"&'\n") == #"&lt;b&gt;&quot;&amp;&apos;\n"#)
    }

    @Test("JSON: the encoder escapes every control character, and keys come back as they were")
    func json() throws {
        let planJSON = try PlanJSONRenderer.render(Hostile.plan)
        let driftJSON = try DriftRenderer.json(Hostile.drift)
        for output in [planJSON, driftJSON] {
            expectInert(output)
            let original = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? NSDictionary
            let guarded = Escaping.output(output, colors: false)
            #expect(original != nil)
            #expect(try JSONSerialization.jsonObject(with: Data(guarded.utf8)) as? NSDictionary == original,
                    "the console's guard keeps JSON valid and its values as they were")
        }
        #expect(planJSON.contains(#""path" : "config.K\n::warning file=README.md,line=1::INJECTED-BY-API""#)
                || planJSON.contains(#""path": "config.K\n::warning file=README.md,line=1::INJECTED-BY-API""#))
        #expect(Escaping.jsonDocument("\"a\u{85}b\u{2028}c\u{202E}d\u{E0001}\"") == #""a\u0085b\u2028c\u202Ed\uDB40\uDC01""#)
        let decoded = try JSONSerialization.jsonObject(with: Data(Escaping.jsonDocument("[\"\u{E0001}\u{85}\"]").utf8))
        #expect(decoded as? [String] == ["\u{E0001}\u{85}"])
    }

    @Test("JUnit: XML escaping, control characters as escapes, no raw markup")
    func junit() {
        let xml = DriftRenderer.junit(Hostile.drift)
        expectInert(xml)
        #expect(!xml.contains("<img"))
        #expect(xml.contains(#"name="installation/acme/P|`x`&lt;img src=x onerror=alert(1)&gt;""#))
    }

    @Test("GitHub annotations: the message and the file escaped as workflow commands")
    func annotations() {
        let diagnostic = Diagnostic.warning("100% \(Hostile.command)\r\u{1B}[2J",
                                            at: ProvsyncModel.SourceLocation(file: "a\u{1B}b:c,d\n.yaml", line: 3, column: 4))
        #expect(GitHubAnnotation.line(for: diagnostic) == "::warning file=a\\u{1B}b%3Ac%2Cd%0A.yaml,line=3,col=4::"
                + "100%25 K%0A::warning file=README.md,line=1::INJECTED-BY-API%0D\\u{1B}[2J")
        #expect(GitHubAnnotation.line(for: .error("plain")) == "::error::plain")
    }

    @Test("the console's last guard: control characters, colours only when drawn, workflow command openings")
    func output() {
        #expect(Escaping.output("a\u{1B}[31mred\u{1B}[0m\u{07}", colors: true) == "a\u{1B}[31mred\u{1B}[0m\\u{7}")
        #expect(Escaping.output("a\u{1B}[31mred", colors: false) == "a\\u{1B}[31mred")
        #expect(Escaping.output("ok\n  ::warning::x\nb ##[error]y", colors: false)
                == "ok\n  \\u003A:warning::x\nb ##\\u005Berror]y")
        #expect(Escaping.output("::warning::x", colors: false, command: true) == "::warning::x")
    }
}
