import Foundation
import Testing
import ProvsyncEngine
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncReporting

private func agent(_ name: String, tag: String = "1.0.0") -> String {
    Manifests.agent("ghcr.io/acme/\(name):\(tag)", variables: ["LOG_LEVEL": "info"])
}

private let files = [
    "manifests/pg.yaml": Manifests.installation("acme/postgres", version: "1.4.2"),
    "manifests/redis.yaml": Manifests.installation("acme/redis", version: "7.2.4"),
    "manifests/a.yaml": agent("a"), "manifests/b.yaml": agent("b"), "manifests/c.yaml": agent("c"),
    "provsync.yaml": "prune:\n  owns: [\"installation/acme/*\"]\n",
]

private let planKey = ["PROVSYNC_PLAN_KEY": "5d2b8e0c7a4f1e3b9c6d8a0f2e4b6c8d"]

extension EngineHarness {
    /// `plan --base BASE --changed-only --out FILE`: saves the scoped plan of HEAD as the command does; returns
    /// the plan and the file's path.
    @discardableResult
    fileprivate func saveChangedOnlyPlan(base: String, name: String = "plan.json") async throws -> (plan: Plan, path: String) {
        let plan = try await plan(PlanOptions(recordsDigests: true, base: base, changedOnly: true))
        let path = repo.scratch.appendingPathComponent(name).path
        try Data((try PlanFile(plan, saved: SavedPlanOptions()).encoded() + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return (plan, path)
    }

    /// The agent providers' variables by origin, as the sandbox holds them.
    fileprivate func liveVariables() async throws -> [String: [String: String]] {
        let listed = try await sandbox.reader().agentProviders()
        var variables: [String: [String: String]] = [:]
        for provider in listed {
            variables[provider.origin] = try await sandbox.reader().variables(providerID: provider.id)
        }
        return variables
    }

    /// The API requests the sandbox logged since the last `clearRequests()` (the admin side left out).
    fileprivate func apiRequests() async throws -> [LoggedRequest] {
        try await sandbox.requests().filter { !$0.route.hasPrefix("ADMIN") }
    }
}

/// A copy of the saved plan at `path` with its JSON edited by `edit`, written beside it; returns its path.
private func tampered(_ path: String, _ edit: (inout [String: JSONValue]) -> Void) throws -> String {
    guard case .object(var members) = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    else { throw ChangedOnlyTestError() }
    edit(&members)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let target = path + ".tampered-\(UUID().uuidString).json"
    try encoder.encode(JSONValue.object(members)).write(to: URL(fileURLWithPath: target))
    return target
}

private struct ChangedOnlyTestError: Error {}

/// `plan --base REF --changed-only`: only what the pull request touches is planned, and only its details read.
@Suite("Engine: pull-request plans of the change only")
struct ChangedOnlyFlowTests {
    @Test("only the changed manifests are planned and read in detail; drift elsewhere is left out and said so")
    func changedOnly() async throws {
        try await withHarness(files) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            let base = try harness.repo.commitAll("base")
            // Drift outside the change, made by hand: another agent's variables.
            let listed = try await harness.sandbox.reader().agentProviders()
            let other = try #require(listed.first { $0.origin == "ghcr.io/acme/b" })
            _ = try await harness.sandbox.call("PUT", "/api/v1/providers/\(other.id)/variables",
                                               json: ["variables": ["LOG_LEVEL": "debug"]])
            try harness.commit(["manifests/a.yaml": agent("a", tag: "1.1.0")], removing: ["manifests/redis.yaml"])
            try await harness.sandbox.clearRequests()

            let plan = try await harness.plan(PlanOptions(base: base, changedOnly: true))
            #expect(plan.changes.map { "\($0.action.rawValue) \($0.address)" }
                    == ["update agent/ghcr.io/acme/a", "delete installation/acme/redis"])
            #expect(plan.changes.allSatisfy { $0.isPreExisting == false })
            #expect(plan.scope?.map(\.description) == ["agent/ghcr.io/acme/a", "installation/acme/redis"])
            let target = try #require(listed.first { $0.origin == "ghcr.io/acme/a" })
            let variableReads = try await harness.sandbox.requests(on: "GET /api/v1/providers/{id}/variables")
            #expect(variableReads.map(\.path) == ["/api/v1/providers/\(target.id)/variables"])
            #expect(PlanTextRenderer(colors: false).render(plan).contains("Changed only: 2 objects whose manifests"))
            #expect(PlanMarkdownRenderer().render(plan).contains("drift there is not shown"))
            #expect(try PlanJSONRenderer.render(plan).contains("\"changed_only\" : ["))

            let full = try await harness.plan(PlanOptions(base: base))
            #expect(full.changes.map(\.address.description).contains("agent/ghcr.io/acme/b"), "the full plan shows the drift")
            #expect(full.scope == nil)
        }
    }

    @Test("a manifest that only moved in its file (a comment above it) is not part of the change")
    func movedManifestIsUnchanged() async throws {
        try await withHarness(files) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            let base = try harness.repo.commitAll("base")
            try harness.commit(["manifests/pg.yaml": "# Owned by the data team.\n\n"
                                    + Manifests.installation("acme/postgres", version: "1.4.2"),
                                "manifests/c.yaml": agent("c", tag: "1.2.0")])
            let plan = try await harness.plan(PlanOptions(base: base, changedOnly: true))
            #expect(plan.scope.map { $0.map(\.description).sorted() } == ["agent/ghcr.io/acme/c"])
            #expect(plan.changes.map { "\($0.action.rawValue) \($0.address)" } == ["update agent/ghcr.io/acme/c"])
        }
    }

    @Test("a saved changed-only plan applies exactly its operations, and an object outside its scope may change meanwhile")
    func savedScopedPlanApplies() async throws {
        try await withHarness(files, environment: planKey) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            let base = try harness.repo.commitAll("base")
            let listed = try await harness.sandbox.reader().agentProviders()
            let a = try #require(listed.first { $0.origin == "ghcr.io/acme/a" })
            let b = try #require(listed.first { $0.origin == "ghcr.io/acme/b" })
            let c = try #require(listed.first { $0.origin == "ghcr.io/acme/c" })
            // Drift outside the change before the plan: it is not planned, and stays.
            _ = try await harness.sandbox.call("PUT", "/api/v1/providers/\(b.id)/variables",
                                               json: ["variables": ["LOG_LEVEL": "debug"]])
            try harness.commit(["manifests/a.yaml": agent("a", tag: "1.1.0")], removing: ["manifests/redis.yaml"])
            let (plan, path) = try await harness.saveChangedOnlyPlan(base: base)
            #expect(plan.changes.map { "\($0.action.rawValue) \($0.address)" }
                    == ["update agent/ghcr.io/acme/a", "delete installation/acme/redis"])

            // The file records its scope; show says the plan was scoped.
            let file = try harness.engine.readSavedPlan(at: path)
            #expect(file.changedOnly == ["agent/ghcr.io/acme/a", "installation/acme/redis"])
            let shown = try Plan(rendering: file)
            #expect(shown.scope?.map(\.description) == ["agent/ghcr.io/acme/a", "installation/acme/redis"])
            #expect(PlanTextRenderer(colors: false).render(shown).contains("Changed only: 2 objects whose manifests"))
            #expect(PlanMarkdownRenderer().render(shown).contains("objects outside the change were not read in detail"))

            // Another object changes after the plan, outside its scope: that does not make the plan stale.
            _ = try await harness.sandbox.call("PUT", "/api/v1/providers/\(c.id)/variables",
                                               json: ["variables": ["LOG_LEVEL": "warning"]])
            try await harness.sandbox.clearRequests()
            let (applied, report) = try await harness.applySaved(at: path)
            #expect(applied.scope == plan.scope)
            #expect(report.results.map { "\($0.address)" }.sorted() == ["agent/ghcr.io/acme/a", "installation/acme/redis"])
            #expect(report.applied.count == 2 && !report.isIncomplete, "\(report.results)")
            let requests = try await harness.apiRequests()
            let writes = requests.filter { $0.method != "GET" }.map { "\($0.method) \($0.path)" }.sorted()
            #expect(writes == ["DELETE /providers/installed/acme/redis", "PATCH /api/v1/providers/\(a.id)"], "\(writes)")
            let detailReads = requests.filter { $0.route == "GET /api/v1/providers/{id}/variables" }.map(\.path)
            #expect(Set(detailReads) == ["/api/v1/providers/\(a.id)/variables"], "only the scoped agent's variables: \(detailReads)")

            let variables = try await harness.liveVariables()
            #expect(variables["ghcr.io/acme/b"] == ["LOG_LEVEL": "debug"], "drift outside the scope is left alone")
            #expect(variables["ghcr.io/acme/c"] == ["LOG_LEVEL": "warning"])
            let after = try await harness.plan(PlanOptions(base: base, changedOnly: true))
            #expect(after.summaryLine == "No changes.", "\(after.changes)")
        }
    }

    @Test("a saved changed-only plan whose scoped object changed live since is refused as stale, and nothing is written")
    func savedScopedPlanStale() async throws {
        try await withHarness(files, environment: planKey) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            let base = try harness.repo.commitAll("base")
            try harness.commit(["manifests/a.yaml": agent("a", tag: "1.1.0")], removing: ["manifests/redis.yaml"])
            let (_, path) = try await harness.saveChangedOnlyPlan(base: base)
            let listed = try await harness.sandbox.reader().agentProviders()
            let a = try #require(listed.first { $0.origin == "ghcr.io/acme/a" })
            _ = try await harness.sandbox.call("PUT", "/api/v1/providers/\(a.id)/variables",
                                               json: ["variables": ["LOG_LEVEL": "by-hand"]])
            try await harness.sandbox.clearRequests()
            let stale = try await engineError { try await harness.applySaved(at: path) }
            #expect(stale?.summary == "error: saved plan is stale: live state changed for agent/ghcr.io/acme/a; nothing "
                        + "was applied. Run `provsync plan --out` again.", "\(String(describing: stale))")
            #expect(try await harness.sandbox.writes().totalReceived == 0)

            // The scoped installation deleted by hand meanwhile: stale too.
            try harness.commit(["manifests/a.yaml": agent("a", tag: "1.2.0")])
            let (_, again) = try await harness.saveChangedOnlyPlan(base: base, name: "again.json")
            _ = try await harness.sandbox.call("DELETE", "/providers/installed/acme/redis")
            try await harness.sandbox.clearRequests()
            let gone = try await engineError { try await harness.applySaved(at: again) }
            #expect(gone?.summary?.hasPrefix("error: saved plan is stale: live state changed for installation/acme/redis")
                        == true, "\(String(describing: gone))")
            #expect(try await harness.sandbox.writes().totalReceived == 0)
        }
    }

    @Test("a saved changed-only plan whose scope was edited (widened, narrowed or removed) is refused before any API call")
    func tamperedScope() async throws {
        try await withHarness(files, environment: planKey) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            let base = try harness.repo.commitAll("base")
            try harness.commit(["manifests/a.yaml": agent("a", tag: "1.1.0")])
            let (plan, path) = try await harness.saveChangedOnlyPlan(base: base)
            #expect(plan.scope?.map(\.description) == ["agent/ghcr.io/acme/a"])
            let edits: [(String, (inout [String: JSONValue]) -> Void)] = [
                ("widened", { $0["changed_only"] = ["agent/ghcr.io/acme/a", "agent/ghcr.io/acme/b"] }),
                ("narrowed", { $0["changed_only"] = [] }),
                ("removed", { $0["changed_only"] = nil }),
            ]
            for (name, edit) in edits {
                let file = try tampered(path, edit)
                try await harness.sandbox.clearRequests()
                let refused = try await engineError { try await harness.applySaved(at: file) }
                #expect(refused?.summary?.contains("the saved plan was changed after it was written (its seal does not "
                                                   + "match); nothing was applied") == true,
                        "\(name): \(String(describing: refused))")
                #expect(try await harness.apiRequests().isEmpty, "\(name): refused before any API call")
            }
            // The plan as saved still applies.
            let (_, report) = try await harness.applySaved(at: path)
            #expect(report.applied.map(\.address.description) == ["agent/ghcr.io/acme/a"], "\(report.results)")
        }
    }

    @Test("one changed agent of many: the plan and the apply of its saved plan ask the server only about that one")
    func requestCount() async throws {
        // Loopback locations, whose stored spelling the workspace asks the server about, and managed variables,
        // so that a plan of everything would read every provider twice beyond the lists.
        let ports = (0..<24).map { 18_700 + $0 }
        func network(_ port: Int, level: String = "info") -> String {
            Manifests.agent("http://localhost:\(port)/", variables: ["LOG_LEVEL": level])
        }
        var many = Dictionary(uniqueKeysWithValues: ports.map { ("manifests/agent-\($0).yaml", network($0)) })
        many["manifests/pg.yaml"] = Manifests.installation("acme/postgres", version: "1.4.2")
        try await withHarness(many, environment: planKey) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            let base = try harness.repo.commitAll("base")
            let changed = try #require(ports.last)
            try harness.commit(["manifests/agent-\(changed).yaml": network(changed, level: "debug")])
            let listed = try await harness.sandbox.reader().agentProviders()
            let target = try #require(listed.first { $0.source == "http://host.docker.internal:\(changed)/" })

            try await harness.sandbox.clearRequests()
            let (plan, path) = try await harness.saveChangedOnlyPlan(base: base)
            #expect(plan.changes.map(\.address.description) == ["agent/http://localhost:\(changed)/"])
            let planned = try await harness.apiRequests()
            #expect(planned.count <= 3 + 1, "\(planned.map { "\($0.method) \($0.path)" })")
            #expect(planned.filter { $0.route == "GET /api/v1/providers/by-location/{location}" }.count == 1)
            #expect(planned.filter { $0.route == "GET /api/v1/providers/{id}/variables" }.map(\.path)
                    == ["/api/v1/providers/\(target.id)/variables"])

            try await harness.sandbox.clearRequests()
            let (_, report) = try await harness.applySaved(at: path)
            #expect(report.applied.count == 1 && !report.isIncomplete, "\(report.results)")
            let applied = try await harness.apiRequests()
            let others = applied.filter { !$0.path.contains(target.id) && !$0.path.contains("\(changed)")
                && !["GET /providers/installed", "GET /api/v1/providers"].contains($0.route) }
            #expect(others.isEmpty, "apply read nothing of the other providers: \(others.map { "\($0.method) \($0.path)" })")

            // For contrast: the plan of everything asks about every provider.
            try await harness.sandbox.clearRequests()
            _ = try await harness.plan(PlanOptions(base: base))
            #expect(try await harness.apiRequests().count > 2 * ports.count)
        }
    }
}
