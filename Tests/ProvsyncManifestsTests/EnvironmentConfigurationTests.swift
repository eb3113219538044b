import Testing
@testable import ProvsyncManifests
import ProvsyncModel
import ProvsyncTestSupport

private func configuration(_ text: String) -> (configuration: ProjectConfiguration, diagnostics: [String]) {
    let result = ConfigurationDecoder.decode(file: "provsync.yaml", bytes: Array(text.utf8), limits: .standard)
    return (result.configuration, Diagnostic.sortedByLocation(result.diagnostics).map(\.description))
}

/// A request reading `repo` as `--repo <path>` would, for `environment`.
private func request(_ repo: ScratchRepository, environment: String? = nil, paths: [String] = []) -> ManifestRequest {
    ManifestRequest(repository: repo.path, paths: paths, currentDirectory: repo.scratch.path, environment: environment)
}

private let twoEnvironments = """
    environments:
      staging: {paths: [manifests/base, manifests/staging]}
      production: {paths: [manifests/base, manifests/production]}
    """

/// A repository whose provsync.yaml defines staging and production over a shared base.
private func environmentsRepository() throws -> ScratchRepository {
    let repo = try ScratchRepository()
    try repo.commitFiles([
        "provsync.yaml": twoEnvironments,
        "manifests/base/pg.yaml": installation("acme/pg", version: "1.0.0"),
        "manifests/staging/pg.yaml": installation("acme/pg", version: "1.1.0"),
        "manifests/production/pg.yaml": installation("acme/pg", version: "2.0.0"),
    ])
    return repo
}

@Suite("Environments: provsync.yaml environments and --env")
struct EnvironmentConfigurationTests {
    @Test("environments decode in the order written, each with its place, api, layers, parallelism, prune and credentials")
    func decodesEnvironments() throws {
        let decoded = configuration("""
            api: https://default.example.com
            parallelism: 4
            prune:
              owns: ["installation/acme/*"]
            environments:
              staging: {api: https://staging.example.com, paths: [manifests/base, manifests/staging]}
              production:
                api: {store_url: https://store.example.com, agents_url: https://agents.example.com}
                paths: [manifests/base, manifests/production]
                parallelism: 16
                prune: {owns: ["agent/ghcr.io/acme/*"], max_deletes: 2}
                credentials: {store_token: PROD_STORE_TOKEN, agents_username: PROD_USER, agents_password: PROD_PASSWORD}
            """)
        #expect(decoded.diagnostics.isEmpty)
        let top = decoded.configuration
        #expect(top.environmentNames == ["staging", "production"])
        let staging = try #require(top.environment(named: "staging"))
        #expect(staging.location == SourceLocation(file: "provsync.yaml", line: 6, column: 3))
        #expect(staging.apiURL == "https://staging.example.com")
        #expect(staging.paths.map(\.value) == ["manifests/base", "manifests/staging"])
        #expect(staging.paths.first?.location == SourceLocation(file: "provsync.yaml", line: 6, column: 55))
        #expect(staging.parallelism == nil && staging.prune == nil)
        #expect(staging.credentials == EnvironmentCredentials())
        let production = try #require(top.environment(named: "production"))
        #expect(production.location.line == 7)
        #expect(production.apiURL == nil)
        #expect(production.storeURL == "https://store.example.com")
        #expect(production.agentsURL == "https://agents.example.com")
        #expect(production.paths.map(\.value) == ["manifests/base", "manifests/production"])
        #expect(production.paths.last?.location == SourceLocation(file: "provsync.yaml", line: 9, column: 29))
        #expect(production.parallelism == 16)
        #expect(production.prune?.owns.map(\.value) == ["agent/ghcr.io/acme/*"])
        #expect(production.prune?.maxDeletes == 2)
        #expect(production.credentials == EnvironmentCredentials(storeToken: "PROD_STORE_TOKEN", agentsUsername: "PROD_USER",
                                                                 agentsPassword: "PROD_PASSWORD"))
        #expect(top.environment(named: "prod") == nil)
    }

    @Test("the effective configuration of an environment takes its api, paths, parallelism and prune over the top level")
    func effectiveConfiguration() throws {
        let top = configuration("""
            api: {url: https://default.example.com, agents_url: https://agents.default.example.com}
            parallelism: 4
            prune: {owns: ["installation/acme/*"]}
            environments:
              staging: {paths: [base, staging]}
              production: {api: {store_url: https://store.example.com}, paths: [base, production], parallelism: 16,
                           prune: {owns: ["agent/ghcr.io/acme/*"]}}
            """).configuration

        let staging = top.effective(for: try #require(top.environment(named: "staging")))
        #expect(staging.apiURL == "https://default.example.com", "no api of its own: the top-level URLs hold")
        #expect(staging.agentsURL == "https://agents.default.example.com")
        #expect(staging.paths == ["base", "staging"])
        #expect(staging.parallelism == 4)
        #expect(staging.prune?.owns.map(\.value) == ["installation/acme/*"])
        #expect(staging.selectedEnvironment?.name == "staging")
        #expect(staging.environmentNames == ["staging", "production"])

        let production = top.effective(for: try #require(top.environment(named: "production")))
        #expect(production.apiURL == nil, "an api of its own replaces all three top-level URLs")
        #expect(production.agentsURL == nil)
        #expect(production.storeURL == "https://store.example.com")
        #expect(production.paths == ["base", "production"])
        #expect(production.parallelism == 16)
        #expect(production.prune?.owns.map(\.value) == ["agent/ghcr.io/acme/*"])
        #expect(top.selectedEnvironment == nil)
    }

    @Test("every mistake in an environment is an error at its place in provsync.yaml")
    func environmentErrors() {
        let decoded = configuration("""
            environments:
              Staging: {paths: [a]}
              qa:
              dev: {path: [a]}
              test: {paths: []}
              prod:
                api: ftp://x
                paths: [base]
                parallelism: 0
                prune: {owns: ["acme/*"]}
                credentials: {store_token: ghp_secret123, agents_username: USER, region: X}
              edge: {paths: [b], api: {url: https://e.example.com, store: https://s.example.com}}
              cdn: {api: https://c.example.com}
            """)
        #expect(decoded.configuration.environmentNames == ["qa", "dev", "test", "prod", "edge", "cdn"])
        #expect(decoded.diagnostics == [
            "provsync.yaml:2:3: error: environment name \"Staging\" must be lower-case letters, digits, _ and -, "
                + "starting with a letter or digit",
            "provsync.yaml:3:3: error: \"environments.qa\" has no value; it must be a mapping",
            "provsync.yaml:4:9: error: unknown field \"environments.dev.path\" in environment \"dev\"; did you mean \"paths\"?",
            "provsync.yaml:5:17: error: \"environments.test.paths\" must name at least one path",
            "provsync.yaml:7:10: error: \"environments.prod.api\" must be an http:// or https:// URL, not \"ftp://x\"",
            "provsync.yaml:9:18: error: \"environments.prod.parallelism\" must be between 1 and 256, not 0",
            "provsync.yaml:10:20: error: \"environments.prod.prune.owns[0]\": \"acme/*\" is not an address pattern: write an "
                + "address such as installation/acme/billing, or a prefix ending in * (installation/*, agent/*)",
            "provsync.yaml:11:32: error: \"environments.prod.credentials.store_token\" must be the NAME of the environment "
                + "variable holding the secret (A-Z, 0-9 and _, not starting with a digit), like PROD_STORE_TOKEN, never "
                + "the secret itself; the value is not shown",
            "provsync.yaml:11:47: error: \"environments.prod.credentials.agents_username\" needs \"agents_password\" beside "
                + "it: the agent API checks the password",
            "provsync.yaml:11:70: error: unknown field \"environments.prod.credentials.region\" in "
                + "environments.prod.credentials; allowed: store_token, agents_token, agents_username, agents_password",
            "provsync.yaml:12:56: error: unknown field \"environments.edge.api.store\" in provsync.yaml environments.edge.api; "
                + "allowed: url, store_url, agents_url",
            "provsync.yaml:13:3: error: missing required field \"environments.cdn.paths\"",
        ])
        #expect(decoded.diagnostics.allSatisfy { !$0.contains("ghp_secret123") }, "a pasted secret is never echoed")
    }

    @Test("environments must be a non-empty mapping; top-level paths beside them are not used, which is said")
    func environmentsShape() {
        #expect(configuration("environments: [staging]\n").diagnostics == [
            "provsync.yaml:1:15: error: \"environments\" must be a mapping of environment names to their settings, not a list",
        ])
        #expect(configuration("environments: {}\n").diagnostics == [
            "provsync.yaml:1:15: error: \"environments\" must define at least one environment",
        ])
        let unused = configuration("paths: [manifests]\nenvironments:\n  staging: {paths: [base]}\n")
        #expect(unused.diagnostics == [
            "provsync.yaml:1:1: warning: \"paths\" is not used: with environments, each environment's paths are its layers",
        ])
        #expect(configuration("credentials: {store_token: T}\n").diagnostics.first?.contains("unknown field \"credentials\"") == true)
    }

    @Test("--env selects an environment: its layers are read and its effective configuration returned")
    func selectsEnvironment() throws {
        let repo = try environmentsRepository()
        defer { repo.delete() }
        let staging = try ManifestLoader.load(request(repo, environment: "staging"))
        #expect(staging.diagnostics.isEmpty)
        #expect(staging.environment == "staging")
        #expect(staging.paths == ["manifests/base", "manifests/staging"])
        #expect(staging.configuration.paths == ["manifests/base", "manifests/staging"])
        #expect(staging.version(of: "acme/pg") == "1.1.0")
        #expect(staging.fileCount == 2)
        let production = try ManifestLoader.load(request(repo, environment: "production"))
        #expect(production.version(of: "acme/pg") == "2.0.0")
        #expect(production.environment == "production")
    }

    @Test("without --env, a provsync.yaml with environments is an error naming them")
    func environmentRequired() throws {
        let repo = try environmentsRepository()
        defer { repo.delete() }
        let error = try #require(loadError(request(repo)))
        #expect(error.diagnostics.map(\.description) == [
            "error: provsync.yaml defines environments staging, production: pass --env NAME",
        ])
        #expect(loadError(request(repo, paths: ["manifests/base"])) != nil, "--path does not stand in for --env")
    }

    @Test("an unknown --env is an error listing the environments, with a did-you-mean for typos and abbreviations")
    func unknownEnvironment() throws {
        let repo = try environmentsRepository()
        defer { repo.delete() }
        let typo = try #require(loadError(request(repo, environment: "producton")))
        #expect(typo.diagnostics.map(\.description) == [
            "error: unknown environment \"producton\"; provsync.yaml defines staging, production; did you mean \"production\"?",
        ])
        let short = try #require(loadError(request(repo, environment: "prod")))
        #expect(short.diagnostics.first?.message.hasSuffix("did you mean \"production\"?") == true)
        let unrelated = try #require(loadError(request(repo, environment: "edge")))
        #expect(unrelated.diagnostics.map(\.message) == ["unknown environment \"edge\"; provsync.yaml defines staging, production"])
    }

    @Test("--env without environments in provsync.yaml, or beside --path, is an error")
    func envWithoutEnvironments() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles(["provsync.yaml": "parallelism: 2\n", "manifests/a.yaml": installation("acme/a")])
        let error = try #require(loadError(request(repo, environment: "staging")))
        #expect(error.diagnostics.map(\.description) == [
            "error: --env staging: provsync.yaml defines no environments; drop --env",
        ])
        let plain = try ManifestLoader.load(request(repo))
        #expect(plain.isValid && plain.environment == nil)

        try repo.commitFiles(["provsync.yaml": twoEnvironments])
        let withPath = try #require(loadError(request(repo, environment: "staging", paths: ["manifests"])))
        #expect(withPath.diagnostics.map(\.message) == [
            "--path cannot be combined with --env: environment staging reads its layers from provsync.yaml "
                + "(manifests/base, manifests/staging)",
        ])
    }

    @Test("a selection error also reports the errors of provsync.yaml, which may be why the environment is missing")
    func selectionWithConfigurationErrors() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            "provsync.yaml": "environments:\n  Production: {paths: [manifests]}\n",
            "manifests/a.yaml": installation("acme/a"),
        ])
        let error = try #require(loadError(request(repo, environment: "production")))
        #expect(error.diagnostics.map(\.description) == [
            "provsync.yaml:2:3: error: environment name \"Production\" must be lower-case letters, digits, _ and -, "
                + "starting with a letter or digit",
            "error: --env production: provsync.yaml defines no environments; drop --env",
        ])
    }

    @Test("loadEnvironments reads every environment in order, or those named, or the plain load without environments")
    func everyEnvironment() throws {
        let repo = try environmentsRepository()
        defer { repo.delete() }
        let all = try ManifestLoader.loadEnvironments(request(repo), named: [])
        #expect(all.map(\.environment) == ["staging", "production"])
        #expect(all.map { $0.version(of: "acme/pg") } == ["1.1.0", "2.0.0"])
        let named = try ManifestLoader.loadEnvironments(request(repo), named: ["production"])
        #expect(named.map(\.environment) == ["production"])
        #expect(throws: DiagnosticsError.self) { try ManifestLoader.loadEnvironments(request(repo), named: ["qa"]) }

        try repo.commitFiles(["provsync.yaml": "paths: [manifests/base]\n"])
        let plain = try ManifestLoader.loadEnvironments(request(repo), named: [])
        #expect(plain.count == 1)
        #expect(plain.first?.environment == nil)
        #expect(plain.first?.version(of: "acme/pg") == "1.0.0")
    }
}
