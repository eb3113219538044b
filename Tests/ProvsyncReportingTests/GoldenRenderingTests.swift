import Foundation
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
        try GoldenFiles.check(try PlanFile(ReportingFixtures.plan, saved: SavedPlanOptions(targets: ["installation/acme/*"])).encoded(),
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
                       try PlanJSONRenderer.render(plan), try PlanFile(plan, saved: SavedPlanOptions()).encoded(),
                       DriftRenderer.text(ReportingFixtures.drift), try DriftRenderer.json(ReportingFixtures.drift),
                       DriftRenderer.markdown(ReportingFixtures.drift), DriftRenderer.junit(ReportingFixtures.drift)]
        for output in outputs {
            #expect(!output.contains("pg-s3cret") && !output.contains(ReportingFixtures.oldSecret))
        }
    }

    @Test("JSON marks a difference with a redacted side sensitive: true, and leaves the marker out elsewhere")
    func sensitiveMarker() throws {
        let plan = try differences(in: try PlanJSONRenderer.render(ReportingFixtures.plan), under: "changes")
        let saved = try differences(in: try PlanFile(ReportingFixtures.plan, saved: SavedPlanOptions()).encoded(), under: "changes")
        let drift = try differences(in: try DriftRenderer.json(ReportingFixtures.drift), under: "resources")
        for (differences, sides) in [(plan, ("before", "after")), (saved, ("before", "after")), (drift, ("live", "desired"))] {
            let redacted = differences.filter { [$0[sides.0], $0[sides.1]].contains(.string(PlanValue.redacted)) }
            #expect(!redacted.isEmpty, "the fixture has a sensitive difference")
            for difference in differences {
                let isRedacted = redacted.contains(difference)
                #expect(difference["sensitive"] == (isRedacted ? .bool(true) : nil), "\(difference)")
            }
        }
        let secret = try #require(drift.first { $0["path"] == "config.DB_PASSWORD" })
        #expect(secret == ["address": "installation/acme/vault", "path": "config.DB_PASSWORD", "live": "(sensitive)",
                           "desired": "(sensitive)", "sensitive": true])
    }

    @Test("plan JSON's before and after are drift JSON's live and desired, as the README says")
    func sideNames() throws {
        let plan = try differences(in: try PlanJSONRenderer.render(ReportingFixtures.plan), under: "changes")
        let drift = try differences(in: try DriftRenderer.json(ReportingFixtures.drift), under: "resources")
        let pairs = drift.compactMap { live in
            plan.first { $0["address"] == live["address"] && $0["path"] == live["path"] }.map { (plan: $0, drift: live) }
        }
        #expect(pairs.count >= 3)
        for pair in pairs {
            #expect(pair.plan["before"] == pair.drift["live"] && pair.plan["after"] == pair.drift["desired"],
                    "\(pair.plan) against \(pair.drift)")
            #expect(pair.plan.keys.sorted() == ["address", "after", "before", "path"]
                    && pair.drift.keys.sorted() == ["address", "desired", "live", "path"])
        }
    }

    /// Every difference object of every entry of `key` (plan `changes`, drift `resources`), with the entry's
    /// `address` added.
    private func differences(in json: String, under key: String) throws -> [[String: JSONValue]] {
        guard case .object(let document) = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)),
              case .array(let entries) = document[key] else {
            Issue.record("no \(key) in \(json)")
            return []
        }
        return entries.flatMap { entry -> [[String: JSONValue]] in
            guard case .object(let entry) = entry, case .array(let differences) = entry["differences"] else { return [] }
            return differences.compactMap { difference in
                guard case .object(var difference) = difference else { return nil }
                difference["address"] = entry["address"]
                return difference
            }
        }
    }
}
