import Foundation
import Testing
import ProvsyncModel
@testable import ProvsyncReporting

/// `provsync show`: a saved plan, read back from its file, renders as the plan it was saved from.
@Suite("Saved plans rendered again")
struct SavedPlanRenderingTests {
    /// `plan` after a trip through its saved file, as `plan --out` writes it and show reads it.
    private func shown(_ plan: Plan) throws -> Plan {
        let text = try PlanFile(plan, saved: SavedPlanOptions(targets: ["installation/acme/*"])).encoded()
        return try Plan(rendering: try JSONDecoder().decode(PlanFile.self, from: Data(text.utf8)))
    }

    @Test("a saved plan renders in text, colour, markdown and JSON as the plan it was saved from")
    func sameRenderings() throws {
        for plan in [ReportingFixtures.plan, ReportingFixtures.attributedPlan] {
            let again = try shown(plan)
            #expect(PlanTextRenderer(colors: false).render(again) == PlanTextRenderer(colors: false).render(plan))
            #expect(PlanTextRenderer(colors: true).render(again) == PlanTextRenderer(colors: true).render(plan))
            #expect(PlanMarkdownRenderer().render(again) == PlanMarkdownRenderer().render(plan))
            #expect(PlanMarkdownRenderer(limit: 900).render(again) == PlanMarkdownRenderer(limit: 900).render(plan))
            #expect(try PlanJSONRenderer.render(again) == (try PlanJSONRenderer.render(plan)))
        }
    }

    @Test("a plan refused as a whole (too many deletes) is shown refused")
    func wholePlanRefused() throws {
        var plan = ReportingFixtures.plan
        plan.refusal = "it deletes 3 objects, more than prune.max_deletes (2) allows"
        let again = try shown(plan)
        #expect(again.refusal == plan.refusal)
        #expect(PlanTextRenderer(colors: false).render(again) == PlanTextRenderer(colors: false).render(plan))
        #expect(PlanMarkdownRenderer().render(again) == PlanMarkdownRenderer().render(plan))
    }

    @Test("an empty plan renders as No changes.")
    func emptyPlan() throws {
        let plan = Plan(source: ReportingFixtures.source, changes: [], unmanaged: [], desiredDigest: "d", salt: "s")
        #expect(PlanTextRenderer(colors: false).render(try shown(plan)).hasSuffix("\nNo changes."))
    }

    @Test("a value written \"(sensitive)\" is a secret unless its difference says it holds none")
    func sensitiveMark() throws {
        var file = PlanFile(ReportingFixtures.plan)
        let index = try #require(file.changes.firstIndex { !$0.differences.isEmpty })
        file.changes[index].differences = [
            PlanFile.Difference(path: "config.A", before: .null, after: .string(PlanValue.redacted), sensitive: true),
            PlanFile.Difference(path: "config.B", before: .null, after: .string(PlanValue.redacted)),
            PlanFile.Difference(path: "config.C", before: .null, after: .string(PlanValue.redacted), sensitive: false),
        ]
        let differences = try Plan(rendering: file).changes[index].differences
        #expect(differences.map(\.after) == [.sensitive(digest: ""), .sensitive(digest: ""),
                                             .value(.string(PlanValue.redacted))])
        #expect(differences.map(\.before) == [.absent, .absent, .absent])
    }

    @Test("a file with an action or an address this provsync does not know is refused, naming it")
    func unknownNames() throws {
        var action = PlanFile(ReportingFixtures.plan)
        action.changes[0].action = "explode"
        let refused = #expect(throws: SavedPlanError.self) { try Plan(rendering: action) }
        #expect(refused?.description.contains("\"explode\"") == true)
        var address = PlanFile(ReportingFixtures.plan)
        try #require(!address.unmanaged.isEmpty)
        address.unmanaged[0].address = "cluster/x"
        let unknown = #expect(throws: SavedPlanError.self) { try Plan(rendering: address) }
        #expect(unknown?.description.contains("cluster/x") == true)
    }
}
