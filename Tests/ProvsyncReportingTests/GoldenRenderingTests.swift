import Testing
import ProvsyncModel
@testable import ProvsyncReporting

/// Every rendering of a plan, a drift report and an apply report, whole, against its golden file.
@Suite("Golden renderings")
struct GoldenRenderingTests {
    @Test("plan as text, without and with colour, and with --base sections")
    func planText() throws {
        try GoldenFiles.check(PlanTextRenderer(colors: false).render(ReportingFixtures.plan), against: "plan.txt")
        try GoldenFiles.check(PlanTextRenderer(colors: true).render(ReportingFixtures.plan), against: "plan-color.txt")
        try GoldenFiles.check(PlanTextRenderer(colors: false).render(ReportingFixtures.attributedPlan),
                              against: "plan-base.txt")
    }

    @Test("plan as markdown, without and with --base sections")
    func planMarkdown() throws {
        try GoldenFiles.check(PlanMarkdownRenderer().render(ReportingFixtures.plan), against: "plan.md")
        try GoldenFiles.check(PlanMarkdownRenderer().render(ReportingFixtures.attributedPlan), against: "plan-base.md")
    }

    @Test("plan as JSON, and as a saved plan file")
    func planJSON() throws {
        try GoldenFiles.check(try PlanJSONRenderer.render(ReportingFixtures.plan), against: "plan.json")
        try GoldenFiles.check(try PlanFile(ReportingFixtures.plan, saved: (["installation/acme/*"], false)).encoded(),
                              against: "plan-saved.json")
    }

    @Test("drift as text, JSON, markdown and JUnit")
    func drift() throws {
        let report = ReportingFixtures.drift
        try GoldenFiles.check(DriftRenderer.text(report), against: "drift.txt")
        try GoldenFiles.check(try DriftRenderer.json(report), against: "drift.json")
        try GoldenFiles.check(DriftRenderer.markdown(report), against: "drift.md")
        try GoldenFiles.check(DriftRenderer.junit(report), against: "drift.xml")
    }

    @Test("apply reports, and the dry run's")
    func applyReports() throws {
        try GoldenFiles.check(ApplyReportRenderer.render(ReportingFixtures.applyReport, dryRun: false), against: "apply.txt")
        try GoldenFiles.check(ApplyReportRenderer.render(ReportingFixtures.dryRunReport, dryRun: true), against: "dry-run.txt")
    }

    @Test("no rendering holds a secret value")
    func noSecrets() throws {
        let plan = ReportingFixtures.plan
        let outputs = [PlanTextRenderer(colors: false).render(plan), PlanMarkdownRenderer().render(plan),
                       try PlanJSONRenderer.render(plan), try PlanFile(plan, saved: ([], false)).encoded(),
                       DriftRenderer.text(ReportingFixtures.drift), try DriftRenderer.json(ReportingFixtures.drift),
                       DriftRenderer.markdown(ReportingFixtures.drift), DriftRenderer.junit(ReportingFixtures.drift)]
        for output in outputs {
            #expect(!output.contains("pg-s3cret"))
        }
    }
}
