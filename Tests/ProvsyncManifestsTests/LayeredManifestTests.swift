import Testing
@testable import ProvsyncManifests
import ProvsyncModel
import ProvsyncTestSupport

/// staging reads the base alone; production reads the base, then its own layer.
private let layeredConfiguration = """
    environments:
      staging: {paths: [manifests/base]}
      production: {paths: [manifests/base, manifests/production]}
    """

private let basePostgres = """
    apiVersion: provsync/v1
    kind: Installation
    spec:
      provider_name: acme/postgres
      version: "1.4.2"
      resource_tier: performance
      config:
        LOG_LEVEL: info
        REPLICAS: "2"
        REGION: eu
    policy:
      ignore: [config.LOG_LEVEL, config.REGION]
    """

/// Commits provsync.yaml with staging and production, and `files`; returns the repository.
private func layeredRepository(_ files: KeyValuePairs<String, String>) throws -> ScratchRepository {
    let repo = try ScratchRepository()
    try repo.write("provsync.yaml", layeredConfiguration)
    try repo.commitFiles(files)
    return repo
}

private func load(_ repo: ScratchRepository, environment: String) throws -> LoadedManifests {
    try ManifestLoader.load(ManifestRequest(repository: repo.path, currentDirectory: repo.scratch.path,
                                            environment: environment))
}

private func postgres(_ loaded: LoadedManifests) throws -> (manifest: Manifest, spec: InstallationManifest) {
    let manifest = try #require(loaded.manifestSet.manifests.first { $0.address.description == "installation/acme/postgres" })
    guard case .installation(let spec) = manifest.body else { throw DiagnosticsError(.error("not an installation")) }
    return (manifest, spec)
}

private func place(_ file: String, _ line: Int, _ column: Int) -> ProvsyncModel.SourceLocation {
    SourceLocation(file: file, line: line, column: column)
}

@Suite("Environments: layers merged field by field")
struct LayeredManifestTests {
    @Test("a later layer patches the base: maps merge key by key, lists are replaced, other values replaced")
    func mergeRules() throws {
        let repo = try layeredRepository([
            "manifests/base/postgres.yaml": basePostgres,
            "manifests/production/postgres.yaml": """
                apiVersion: provsync/v1
                kind: Installation
                spec:
                  provider_name: acme/postgres
                  version: "1.5.0"
                  config:
                    REPLICAS: "5"
                    BACKUPS: daily
                policy:
                  ignore: [config.BACKUPS]
                """,
        ])
        defer { repo.delete() }

        let production = try load(repo, environment: "production")
        #expect(production.diagnostics.isEmpty)
        #expect(production.manifestSet.manifests.count == 1)
        let (_, spec) = try postgres(production)
        #expect(spec.version == "1.5.0")
        #expect(spec.resourceTier == .performance, "a field the patch leaves out keeps the base's value")
        #expect(spec.config.mapValues(\.literalValue) == ["LOG_LEVEL": "info", "REPLICAS": "5", "REGION": "eu", "BACKUPS": "daily"])
        #expect(spec.policy.ignore == ["config.BACKUPS"], "a list is replaced, not appended to")

        let staging = try postgres(try load(repo, environment: "staging")).spec
        #expect(staging.version == "1.4.2")
        #expect(staging.config["REPLICAS"]?.literalValue == "2")
        #expect(staging.policy.ignore == ["config.LOG_LEVEL", "config.REGION"])
    }

    @Test("an explicit null in a later layer removes the field, also a key of a map")
    func nullRemoves() throws {
        let repo = try layeredRepository([
            "manifests/base/postgres.yaml": basePostgres,
            "manifests/production/postgres.yaml": """
                apiVersion: provsync/v1
                kind: Installation
                spec:
                  provider_name: acme/postgres
                  version: null
                  config: {REGION: ~}
                policy:
                """,
        ])
        defer { repo.delete() }
        let production = try load(repo, environment: "production")
        #expect(production.diagnostics.isEmpty)
        let (manifest, spec) = try postgres(production)
        #expect(spec.version == nil)
        #expect(spec.config.keys.sorted() == ["LOG_LEVEL", "REPLICAS"])
        #expect(spec.policy.ignore.isEmpty)
        #expect(manifest.fieldSources["version"] == nil)
        #expect(manifest.fieldSources["config.REGION"] == nil)
    }

    @Test("ensure: absent in a later layer deletes the base object in that environment only")
    func absentInLayer() throws {
        let repo = try layeredRepository([
            "manifests/base/postgres.yaml": basePostgres,
            "manifests/production/postgres.yaml": """
                apiVersion: provsync/v1
                kind: Installation
                ensure: absent
                spec:
                  provider_name: acme/postgres
                """,
        ])
        defer { repo.delete() }
        let production = try load(repo, environment: "production")
        #expect(production.diagnostics.isEmpty)
        let (manifest, _) = try postgres(production)
        #expect(manifest.ensure == .absent)
        #expect(manifest.location == place("manifests/production/postgres.yaml", 1, 1), "the delete is located at the layer")
        #expect(manifest.fieldSources["ensure"] == place("manifests/production/postgres.yaml", 3, 9))
        #expect(try postgres(try load(repo, environment: "staging")).manifest.ensure == .present)
    }

    @Test("a layer that deletes may name only apiVersion, kind, ensure and the identity; anything else is an error there")
    func absentLayerNamesOnlyIdentity() throws {
        let repo = try layeredRepository([
            "manifests/base/agent.yaml": agent("ghcr.io/acme/research:1.0.0"),
            "manifests/production/agent.yaml": """
                apiVersion: provsync/v1
                kind: AgentProvider
                ensure: absent
                spec:
                  location: ghcr.io/acme/research:1.0.0
                  auto_stop_timeout_sec: 60
                policy: {}
                """,
        ])
        defer { repo.delete() }
        let production = try load(repo, environment: "production")
        let allowed = "apiVersion, kind, ensure and spec.origin or spec.location; remove it"
        #expect(production.errors.map(\.description) == [
            "manifests/production/agent.yaml:6:3: error: \"spec.auto_stop_timeout_sec\": this layer deletes "
                + "agent/ghcr.io/acme/research (ensure: absent), so it names only \(allowed)",
            "manifests/production/agent.yaml:7:1: error: \"policy\": this layer deletes agent/ghcr.io/acme/research "
                + "(ensure: absent), so it names only \(allowed)",
        ])
    }

    @Test("two manifests with one address in one layer are an error naming both files; across layers they merge")
    func duplicatesPerLayer() throws {
        let repo = try layeredRepository([
            "manifests/base/a.yaml": installation("acme/postgres"),
            "manifests/base/b.yaml": installation("acme/postgres", version: "1.0.0"),
            "manifests/production/postgres.yaml": installation("acme/postgres", version: "2.0.0"),
        ])
        defer { repo.delete() }
        for environment in ["staging", "production"] {
            let loaded = try load(repo, environment: environment)
            #expect(loaded.errors.map(\.description) == [
                "manifests/base/b.yaml:4:18: error: installation/acme/postgres is defined twice: here and at "
                    + "manifests/base/a.yaml:4:18",
            ], "environment \(environment)")
        }

        let clean = try layeredRepository([
            "manifests/base/a.yaml": installation("acme/postgres"),
            "manifests/production/a.yaml": installation("acme/postgres", version: "2.0.0"),
            "manifests/production/b.yaml": installation("acme/postgres", version: "3.0.0"),
        ])
        defer { clean.delete() }
        #expect(try load(clean, environment: "production").errors.map(\.description) == [
            "manifests/production/b.yaml:4:18: error: installation/acme/postgres is defined twice: here and at "
                + "manifests/production/a.yaml:4:18",
        ])
    }

    @Test("a patch for an address no earlier layer defines is a new manifest, so an incomplete one is an error in its file")
    func patchWithoutBase() throws {
        let repo = try layeredRepository([
            "manifests/base/postgres.yaml": basePostgres,
            "manifests/production/agent.yaml": """
                apiVersion: provsync/v1
                kind: AgentProvider
                spec:
                  origin: ghcr.io/acme/new-agent
                  auto_stop_timeout_sec: 60
                """,
            "manifests/production/redis.yaml": installation("acme/redis", version: "7.0.0"),
        ])
        defer { repo.delete() }
        let production = try load(repo, environment: "production")
        #expect(production.errors.map(\.description) == [
            "manifests/production/agent.yaml:3:1: error: missing required field \"spec.location\"",
        ])
        #expect(production.addresses == ["installation/acme/postgres", "installation/acme/redis"])
        #expect(production.manifestSet.manifests.last?.layers == [place("manifests/production/redis.yaml", 1, 1)])
    }

    @Test("every diagnostic names the layer file and line that set the value")
    func locatedDiagnostics() throws {
        let repo = try layeredRepository([
            "manifests/base/postgres.yaml": basePostgres.replacingOccurrences(of: "REGION: eu", with: "REGION: eu\n  verison: x"),
            "manifests/production/postgres.yaml": """
                apiVersion: provsync/v1
                kind: Installation
                spec:
                  provider_name: acme/postgres
                  resource_tier: huge
                  config:
                    DB_PASSWORD: ${env:PROD DB}
                  upgrade_polcy: auto
                """,
        ])
        defer { repo.delete() }
        let production = try load(repo, environment: "production")
        #expect(production.errors.map(\.description) == [
            "manifests/base/postgres.yaml:11:3: error: unknown field \"spec.verison\" in Installation spec; "
                + "did you mean \"version\"?",
            "manifests/production/postgres.yaml:5:18: error: \"spec.resource_tier\" must be one of free, standard, "
                + "performance, not \"huge\"",
            "manifests/production/postgres.yaml:7:18: error: invalid reference \"${env:PROD DB}\"; write ${env:NAME}, "
                + "or $${ for a literal ${",
            "manifests/production/postgres.yaml:8:3: error: unknown field \"spec.upgrade_polcy\" in Installation spec; "
                + "did you mean \"upgrade_policy\"?",
        ])
    }

    @Test("fieldSources name the layer that set each field and map key; layers list the documents in order")
    func fieldSources() throws {
        let repo = try layeredRepository([
            "manifests/base/postgres.yaml": basePostgres,
            "manifests/production/postgres.yaml": """
                # production pins a newer version
                apiVersion: provsync/v1
                kind: Installation
                spec:
                  provider_name: acme/postgres
                  version: "1.5.0"
                  config:
                    DB_PASSWORD: ${env:PROD_DB_PASSWORD}
                """,
        ])
        defer { repo.delete() }
        let production = try load(repo, environment: "production")
        #expect(production.diagnostics.isEmpty)
        let (manifest, spec) = try postgres(production)
        let base = "manifests/base/postgres.yaml", layer = "manifests/production/postgres.yaml"
        #expect(manifest.layers == [place(base, 1, 1), place(layer, 2, 1)])
        #expect(manifest.location == place(layer, 2, 1))
        #expect(manifest.identityLocation == place(layer, 5, 18))
        #expect(manifest.fieldSources == [
            "provider_name": place(layer, 5, 18),
            "version": place(layer, 6, 12),
            "resource_tier": place(base, 6, 18),
            "config": place(layer, 8, 5),
            "config.LOG_LEVEL": place(base, 8, 16),
            "config.REPLICAS": place(base, 9, 15),
            "config.REGION": place(base, 10, 13),
            "config.DB_PASSWORD": place(layer, 8, 18),
            "policy.ignore": place(base, 12, 11),
        ])
        #expect(spec.config["DB_PASSWORD"]?.references.map(\.location) == [place(layer, 8, 18)])
        #expect("\(manifest.fieldSources["version"].map(\.description) ?? "")" == "manifests/production/postgres.yaml:6:12")
    }

    @Test("fieldSources and layers are filled for manifests read without layers too")
    func fieldSourcesWithoutLayers() throws {
        let decoded = ManifestDecoder.decode(file: "m.yaml", bytes: Array("""
            apiVersion: provsync/v1
            kind: AgentProvider
            spec:
              location: ghcr.io/acme/a:1
              variables: {TOKEN: t}
            policy: {sensitive: [variables.TOKEN]}
            """.utf8))
        let manifest = try #require(decoded.manifests.first)
        #expect(manifest.layers == [place("m.yaml", 1, 1)])
        #expect(manifest.fieldSources == [
            "location": place("m.yaml", 4, 13),
            "variables": place("m.yaml", 5, 14),
            "variables.TOKEN": place("m.yaml", 5, 22),
            "policy.sensitive": place("m.yaml", 6, 21),
        ])
    }

    @Test("layers that share files are an error at the later layer")
    func overlappingLayers() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            "provsync.yaml": "environments:\n  production: {paths: [manifests, manifests/production]}\n",
            "manifests/base.yaml": installation("acme/base"),
            "manifests/production/pg.yaml": installation("acme/pg"),
        ])
        let loaded = try load(repo, environment: "production")
        #expect(loaded.errors.map(\.description) == [
            "provsync.yaml:2:35: error: layers 'manifests' and 'manifests/production' overlap: "
                + "'manifests/production/pg.yaml' is in both; an environment's layers must not share files",
        ])
    }
}
