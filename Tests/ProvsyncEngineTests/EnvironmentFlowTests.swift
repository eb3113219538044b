import Testing
import ProvsyncEngine
import ProvsyncManifests
import ProvsyncModel
import ProvsyncReporting

private let configuration = """
    environments:
      staging: {paths: [manifests/base, manifests/staging]}
      production: {paths: [manifests/base, manifests/production], parallelism: 4}
    """

private let files = [
    "provsync.yaml": configuration,
    "manifests/base/pg.yaml": Manifests.installation("acme/postgres", version: "1.4.2",
                                                     extra: "  config:\n    LOG_LEVEL: info\n    MODE: base\n"),
    "manifests/base/redis.yaml": Manifests.installation("acme/redis", version: "7.2.4"),
    "manifests/staging/redis.yaml": "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: acme/redis\n"
        + "  config: {LOG_LEVEL: debug}\n",
    "manifests/production/pg.yaml": """
        apiVersion: provsync/v1
        kind: Installation
        spec:
          provider_name: acme/postgres
          version: "1.5.0"
          config:
            LOG_LEVEL: warn
            MODE: null
        """,
    "manifests/production/redis.yaml": "apiVersion: provsync/v1\nkind: Installation\nensure: absent\nspec:\n  provider_name: acme/redis\n",
]

private func request(_ harness: EngineHarness, environment: String?) -> ManifestRequest {
    var request = harness.request()
    request.environment = environment
    return request
}

/// Environments end to end: `--env` required, layers merged into what is planned, the environment named
/// in the plan, and an environment's own deletes.
@Suite("Engine: environments and layers")
struct EnvironmentFlowTests {
    @Test("with environments defined, a plan without --env is an error naming them")
    func environmentRequired() async throws {
        try await withHarness(files) { harness in
            do {
                _ = try await harness.inWorkspace(request(harness, environment: nil), connection: harness.connection) { _ in 0 }
                Issue.record("the plan must not open without --env")
            } catch let error as EngineError {
                #expect(error.description.contains("provsync.yaml defines environments staging, production: pass --env NAME"))
            }
        }
    }

    @Test("each environment plans its merged layers: patched fields, removed fields, its own deletes")
    func layers() async throws {
        try await withHarness(files) { harness in
            try await harness.sandbox.publish("acme/postgres", versions: ["1.4.2", "1.5.0"])
            let staging = try await harness.inWorkspace(request(harness, environment: "staging"),
                                                        connection: harness.connection) { try await $0.plan(PlanOptions()).plan }
            #expect(staging.changes.map(\.address.description) == ["installation/acme/postgres", "installation/acme/redis"])
            #expect(staging.source.environment == "staging")
            #expect(PlanTextRenderer(colors: false).render(staging).hasPrefix("provsync plan for \(harness.repo.path) at HEAD ("))
            #expect(PlanTextRenderer(colors: false).render(staging).contains(", environment staging"))

            let (production, parallelism) = try await harness.inWorkspace(request(harness, environment: "production"),
                                                                          connection: harness.connection) {
                (try await $0.plan(PlanOptions()).executable, $0.parallelism)
            }
            #expect(parallelism == 4)
            #expect(production.plan.changes.map(\.address.description) == ["installation/acme/postgres"],
                    "redis is absent in production: nothing live, nothing to do")
            guard case .installation(.install(let request))? = production.operations[.installation(providerName: "acme/postgres")] else {
                Issue.record("postgres must be installed")
                return
            }
            #expect(request.version == "1.5.0")
            #expect(request.config == ["LOG_LEVEL": "warn"], "MODE: null removes the base's value")
            #expect(try PlanJSONRenderer.render(production.plan).contains("\"environment\" : \"production\""))
            let change = try #require(production.plan.changes.first)
            #expect(change.layers.map(\.file) == ["manifests/base/pg.yaml", "manifests/production/pg.yaml"])
            let setAt = Dictionary(uniqueKeysWithValues: change.differences.map { ($0.path, $0.setAt?.lineDescription) })
            #expect(setAt["version"] == "manifests/production/pg.yaml:5")
            #expect(setAt["config.LOG_LEVEL"] == "manifests/production/pg.yaml:7")
            #expect(setAt["resource_tier"] == .some(nil), "a default no layer wrote")
            let text = PlanTextRenderer(colors: false).render(production.plan)
            #expect(text.contains("version:          \"1.5.0\"  (from manifests/production/pg.yaml:5)"), "\(text)")
            #expect(text.contains("layers: manifests/base/pg.yaml:1, manifests/production/pg.yaml:1"))
            #expect(try PlanJSONRenderer.render(production.plan).contains("\"set_at\" : {"))
        }
    }

    @Test("ensure: absent in an environment's layer deletes there only")
    func layerDeletes() async throws {
        try await withHarness(files) { harness in
            try await harness.sandbox.publish("acme/postgres", versions: ["1.4.2", "1.5.0"])
            let apply = { (environment: String) async throws -> Plan in
                try await harness.inWorkspace(request(harness, environment: environment), connection: harness.connection) {
                    workspace in
                    let executable = try await workspace.plan(PlanOptions(allowReplace: true)).executable
                    let report = await workspace.apply(executable)
                    #expect(!report.isIncomplete, "\(report.results)")
                    return executable.plan
                }
            }
            _ = try await apply("staging")
            let production = try await apply("production")
            #expect(production.changes.map { "\($0.action.rawValue) \($0.address)" }
                    == ["replace installation/acme/postgres", "delete installation/acme/redis"],
                    "production's config differs from staging's: a replace; its layer deletes redis")
        }
    }
}
