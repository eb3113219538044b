import Testing
import ProvsyncModel
@testable import ProvsyncPlanning
@testable import ProvsyncReporting

private let source = ReportingFixtures.source

@Suite("Markdown plans and base attribution")
struct MarkdownPlanTests {
    private func bigPlan(_ count: Int) -> Plan {
        let changes = (0..<count).map { index in
            PlannedChange(
                address: .installation(providerName: "acme/p\(String(format: "%05d", index))"), action: index == 0 ? .replace : .install,
                reason: "not installed", manifest: SourceLocation(file: "m.yaml", line: 1, column: 1),
                differences: [FieldDifference(path: "config.A", before: .absent, after: .value("some value"))],
                liveFingerprint: nil, refusal: index == 0 ? "replacing interrupts the provider" : nil
            )
        }
        return Plan(source: source, changes: changes, unmanaged: [], desiredDigest: "d", salt: "s")
    }

    @Test("a plan of 2,000 changes stays under 65,000 characters and keeps the summary and the warnings")
    func sizeCap() {
        let markdown = PlanMarkdownRenderer().render(bigPlan(2_000))
        #expect(markdown.count <= 65_000)
        #expect(markdown.hasPrefix("## provsync plan\n\n**Plan: 1999 to install, 1 to replace.**"))
        #expect(markdown.contains("> [!WARNING]"))
        #expect(markdown.contains("`installation/acme/p00000` is refused: replacing interrupts the provider"))
        #expect(markdown.contains("changes are not shown: the plan is longer than a comment may be"))
        #expect(markdown.components(separatedBy: "```diff").count == markdown.components(separatedBy: "```\n").count,
                "every diff block that is opened is closed")
    }

    @Test("a small plan is shown whole, with a table row and a diff block per change")
    func smallPlan() {
        let markdown = PlanMarkdownRenderer().render(bigPlan(3))
        #expect(markdown.contains("| + | `installation/acme/p00001` | install | not installed |"))
        #expect(markdown.contains("```diff\n+ config.A: \"some value\"\n```"))
        #expect(!markdown.contains("not shown"))
        #expect(markdown.contains("<sub>Manifests at /repo at HEAD (aaaaaaa).</sub>"))
    }

    @Test("changes also planned from the base are pre-existing; others are introduced")
    func attribution() {
        let head = bigPlan(3)
        var base = bigPlan(2)
        base.changes[1].differences = [FieldDifference(path: "config.A", before: .absent, after: .value("other"))]
        let attributed = BaseAttribution.attribute(head, base: base)
        #expect(attributed.changes.map(\.isPreExisting) == [true, false, false])
        let markdown = PlanMarkdownRenderer().render(attributed)
        #expect(markdown.contains("### Changes made by this pull request"))
        #expect(markdown.contains("### Pre-existing drift (planned from the base too)"))
        let text = PlanTextRenderer(colors: false).render(attributed)
        #expect(text.contains("Changes made by this change:"))
        #expect(text.contains("Pre-existing drift (planned from the base too):"))
    }
}
