import ProvsyncEngine
import ProvsyncLiveTestSupport
import ProvsyncModel
import Testing

/// A pinned version the store has not published is refused when the plan is made, so a pull request's plan
/// is red before merge, and apply does not send it.
@Suite("Engine: versions the store has not published")
struct UnpublishedVersionFlowTests {
    @Test("an install of an unpublished version is marked refused with its status; apply then sends nothing at all")
    func refusedAtPlan() async throws {
        try await withHarness([
            "manifests/pg.yaml": Manifests.installation("acme/postgres", version: "1.6.0"),
            "manifests/redis.yaml": Manifests.installation("acme/redis", version: "7.2.4"),
        ]) { harness in
            let plan = try await harness.plan()
            let refusals = Dictionary(uniqueKeysWithValues: plan.changes.map { ($0.address.description, $0.refusal) })
            #expect(refusals["installation/acme/postgres"] == .some(.some(
                "version 1.6.0 of acme/postgres is not published: its status is staged (published: 1.5.0, 1.4.2, 1.4.0, 1.3.0)")),
                "\(refusals)")
            #expect(refusals["installation/acme/redis"] == .some(nil))
            // A refused change stops the whole apply, as every refusal does: nothing half-applied.
            let (_, report) = try await harness.apply()
            #expect(report.applied.isEmpty)
            #expect(report.notAttempted.map(\.address.description) == ["installation/acme/postgres", "installation/acme/redis"])
            #expect(try await harness.sandbox.requests(on: "POST /providers/install").isEmpty)
        }
    }
}
