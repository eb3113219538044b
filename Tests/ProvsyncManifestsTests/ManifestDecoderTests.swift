import Testing
import ProvsyncModel
@testable import ProvsyncManifests

private func decode(_ text: String) -> (manifests: [Manifest], diagnostics: [String]) {
    let result = ManifestDecoder.decode(file: "m.yaml", bytes: Array(text.utf8))
    return (result.manifests, Diagnostic.sortedByLocation(result.diagnostics).map(\.description))
}

@Suite("Manifest decoding")
struct ManifestDecoderTests {
    @Test("a full Installation decodes with every field, its address and locations")
    func installation() throws {
        let result = decode("""
            apiVersion: provsync/v1
            kind: Installation
            spec:
              provider_name: acme/postgres
              version: "1.4.2"
              resource_tier: performance
              upgrade_policy: auto
              config:
                LOG_LEVEL: info
                DB_PASSWORD: ${env:DB_PASSWORD}
            policy:
              ignore: [config.LOG_LEVEL]
              sensitive: [config.DB_PASSWORD]
              allow_replace: true
            """)
        #expect(result.diagnostics.isEmpty)
        let manifest = try #require(result.manifests.first)
        #expect(manifest.address.description == "installation/acme/postgres")
        #expect(manifest.location == SourceLocation(file: "m.yaml", line: 1, column: 1))
        #expect(manifest.identityLocation == SourceLocation(file: "m.yaml", line: 4, column: 18))
        guard case .installation(let installation) = manifest.body else {
            Issue.record("Installation expected")
            return
        }
        #expect(installation.version == "1.4.2")
        #expect(installation.resourceTier == .performance)
        #expect(installation.upgradePolicy == .auto)
        #expect(installation.config["LOG_LEVEL"] == TemplatedString(literal: "info"))
        #expect(installation.config["DB_PASSWORD"] == TemplatedString(segments: [
            .environment(name: "DB_PASSWORD", location: SourceLocation(file: "m.yaml", line: 10, column: 18)),
        ]))
        #expect(installation.policy == ManifestPolicy(ignore: ["config.LOG_LEVEL"], sensitive: ["config.DB_PASSWORD"],
                                                      allowReplace: true))
    }

    @Test("absent Installation fields take the documented defaults")
    func installationDefaults() throws {
        let result = decode("apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: acme/loki\n")
        guard case .installation(let installation) = try #require(result.manifests.first).body else {
            Issue.record("Installation expected")
            return
        }
        #expect(installation == InstallationManifest(providerName: "acme/loki"))
        #expect(installation.version == nil && installation.resourceTier == .standard)
        #expect(installation.upgradePolicy == .manual && installation.config.isEmpty)
    }

    @Test("an AgentProvider derives its origin from the location unless one is pinned")
    func agentOrigin() throws {
        let result = decode("""
            apiVersion: provsync/v1
            kind: AgentProvider
            spec:
              location: ghcr.io/acme/research-agent:1.2.0
            ---
            apiVersion: provsync/v1
            kind: AgentProvider
            spec:
              location: https://agents.example.com
            ---
            apiVersion: provsync/v1
            kind: AgentProvider
            spec:
              location: mirror.example.com/acme/research-agent:1.2.0
              origin: acme-research
            """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.manifests.map(\.address.description) == [
            "agent/ghcr.io/acme/research-agent", "agent/https://agents.example.com/", "agent/acme-research",
        ])
        #expect(result.manifests.map(\.identityLocation.line) == [4, 9, 15])
        guard case .agentProvider(let pinned) = result.manifests[2].body else { return }
        #expect(pinned.originIsPinned)
    }

    @Test("absent variables and card mean unmanaged; {} means managed and empty; cards become JSON")
    func agentOptionalFields() throws {
        let result = decode("""
            apiVersion: provsync/v1
            kind: AgentProvider
            spec:
              location: acme/a
            ---
            apiVersion: provsync/v1
            kind: AgentProvider
            spec:
              location: acme/b
              auto_stop_timeout_sec: 1800
              variables: {}
              agent_card:
                name: B
                description: Agent B.
                url: http://localhost:8000/
                version: "2.0"
                capabilities: {streaming: true, extensions: [{uri: u, params: {weight: 1.5, limit: 3, note: null}}]}
                defaultInputModes: [text/plain]
                defaultOutputModes: []
                skills: [{id: s, name: S, description: D, tags: [x, "y"]}]
                iconUrl: null
            """)
        #expect(result.diagnostics.isEmpty)
        guard case .agentProvider(let a) = result.manifests[0].body,
              case .agentProvider(let b) = result.manifests[1].body else {
            Issue.record("AgentProviders expected")
            return
        }
        #expect(a.variables == nil && a.agentCard == nil && a.autoStopTimeoutSec == nil)
        #expect(b.variables == [:])
        #expect(b.autoStopTimeoutSec == 1800)
        #expect(b.agentCard == [
            "name": "B", "description": "Agent B.", "url": "http://localhost:8000/", "version": "2.0",
            "capabilities": [
                "streaming": true,
                "extensions": [["uri": "u", "params": ["weight": .number(1.5), "limit": 3, "note": .null]]],
            ],
            "defaultInputModes": ["text/plain"], "defaultOutputModes": [],
            "skills": [["id": "s", "name": "S", "description": "D", "tags": ["x", "y"]]], "iconUrl": .null,
        ])
    }

    @Test("${env:NAME:-} reads a variable that may be empty; its column is that of the reference")
    func emptyAllowed() throws {
        let result = decode("""
            apiVersion: provsync/v1
            kind: Installation
            spec:
              provider_name: acme/x
              config:
                SUFFIX: "${env:SUFFIX:-}"
            """)
        #expect(result.diagnostics.isEmpty)
        guard case .installation(let installation) = try #require(result.manifests.first).body else { return }
        #expect(installation.config["SUFFIX"] == TemplatedString(segments: [
            .environment(name: "SUFFIX", location: SourceLocation(file: "m.yaml", line: 6, column: 14), allowsEmpty: true),
        ]))
    }

    @Test("$${ writes a literal ${ and references keep their exact column")
    func escapes() throws {
        let result = decode("""
            apiVersion: provsync/v1
            kind: Installation
            spec:
              provider_name: acme/x
              config:
                A: "pre $${literal} ${env:TOKEN} post"
            """)
        #expect(result.diagnostics.isEmpty)
        guard case .installation(let installation) = try #require(result.manifests.first).body else { return }
        #expect(installation.config["A"] == TemplatedString(segments: [
            .literal("pre ${literal} "),
            .environment(name: "TOKEN", location: SourceLocation(file: "m.yaml", line: 6, column: 25)),
            .literal(" post"),
        ]))
        #expect(try installation.config["A"]?.resolve(in: ["TOKEN": "t"]).get() == "pre ${literal} t post")
    }

    @Test("every error of a file is reported in one run, in position order")
    func allErrors() {
        let result = decode("""
            apiVersion: provsync/v1
            kind: Installation
            spec:
              provider_name: acme
              resource_tier: fast
              upgrade_policy: sometimes
              surprise: 1
            policy:
              allow_replace: on
            ---
            apiVersion: provsync/v2
            kind: AgentProvider
            spec: {location: x}
            ---
            apiVersion: provsync/v1
            kind: AgentProvider
            spec:
              location: acme/a
              auto_stop_timeout_sec: 0
              variables: [A]
            """)
        #expect(result.manifests.isEmpty)
        #expect(result.diagnostics == [
            "m.yaml:4:18: error: \"spec.provider_name\" must be \"org/name\", not \"acme\"",
            "m.yaml:5:18: error: \"spec.resource_tier\" must be one of free, standard, performance, not \"fast\"",
            "m.yaml:6:19: error: \"spec.upgrade_policy\" must be one of auto, manual, not \"sometimes\"",
            "m.yaml:7:3: error: unknown field \"spec.surprise\" in Installation spec; allowed: provider_name, "
                + "version, resource_tier, upgrade_policy, config",
            "m.yaml:9:18: error: \"policy.allow_replace\" must be true or false, not a string "
                + "(\"on\" is a string in provsync manifests)",
            "m.yaml:11:13: error: unknown apiVersion \"provsync/v2\"; expected \"provsync/v1\"",
            "m.yaml:19:26: error: \"spec.auto_stop_timeout_sec\" must be between 1 and 1800, not 0",
            "m.yaml:20:14: error: \"spec.variables\" must be a mapping of names to strings, not a list",
        ])
    }

    @Test("policy paths are checked against the kind's fields",
          arguments: [
              ("config.*", nil),
              ("agent_card.skills[0].name", "\"policy.ignore[0]\": unknown field \"agent_card\" in path "
                  + "\"agent_card.skills[0].name\""),
              ("config.A.B", "\"policy.ignore[0]\": paths into \"config\" name one key, like config.NAME"),
              ("config..A", "\"policy.ignore[0]\": \"config..A\" is not a dotted path like config.LOG_LEVEL"),
              ("version", nil),
          ] as [(String, String?)])
    func policyPaths(path: String, expected: String?) {
        let result = decode("""
            apiVersion: provsync/v1
            kind: Installation
            spec: {provider_name: acme/x}
            policy: {ignore: ["\(path)"]}
            """)
        #expect(result.diagnostics == (expected.map { ["m.yaml:4:19: error: \($0)"] } ?? []))
    }

    @Test("agent policy paths reach into the card")
    func agentPolicyPaths() {
        let result = decode("""
            apiVersion: provsync/v1
            kind: AgentProvider
            spec: {location: acme/a}
            policy: {ignore: ["agent_card.skills[0].name", variables.KEY], sensitive: [variables.*]}
            """)
        #expect(result.diagnostics.isEmpty)
    }

    @Test("empty documents and comment-only files decode to nothing, silently")
    func emptyDocuments() {
        #expect(decode("# nothing here\n").manifests.isEmpty)
        #expect(decode("# nothing here\n").diagnostics.isEmpty)
        #expect(decode("---\n---\n").diagnostics.isEmpty)
    }

    @Test("a document that is not a mapping is an error naming what it is")
    func notAMapping() {
        #expect(decode("just a string\n").diagnostics
                == ["m.yaml:1:1: error: a manifest must be a mapping with apiVersion, kind and spec, not a string"])
    }
}

@Suite("Decoding messages")
struct DecodingMessageTests {
    @Test("a misspelt required field is reported once, as the misspelling")
    func misspeltRequiredField() {
        let result = decode("apiVersion: provsync/v1\nkind: Installation\nspec:\n  providr_name: acme/x\n")
        #expect(result.diagnostics == [
            "m.yaml:4:3: error: unknown field \"spec.providr_name\" in Installation spec; did you mean \"provider_name\"?",
        ])
    }

    @Test("a missing required field is reported at the key of the mapping that lacks it")
    func missingFieldAtParentKey() {
        let result = decode("apiVersion: provsync/v1\nkind: AgentProvider\nspec:\n  auto_stop_timeout_sec: 5\n")
        #expect(result.diagnostics == ["m.yaml:3:1: error: missing required field \"spec.location\""])
    }

    @Test("an empty spec says it has no value")
    func emptySpec() {
        let result = decode("apiVersion: provsync/v1\nkind: AgentProvider\nspec:\n")
        #expect(result.diagnostics == ["m.yaml:3:1: error: \"spec\" has no value; it must be a mapping"])
    }

    @Test("messages stay on one line even when the input spans lines")
    func oneLine() {
        let result = decode("""
            apiVersion: provsync/v1
            kind: Installation
            spec:
              provider_name: acme/x
              config:
                A: |
                  x ${env:
            """)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.allSatisfy { !$0.contains("\n") })
        #expect(result.diagnostics.first?.hasPrefix("m.yaml:6:8: error: unterminated reference \"${env:\"") == true)
    }
}

@Suite("Decoding edge cases")
struct DecodingEdgeCaseTests {
    @Test("two documents with one identity clash even when one of them has other errors")
    func identityClashBesideErrors() {
        let decoded = ManifestDecoder.decode(file: "m.yaml", bytes: Array("""
            apiVersion: provsync/v1
            kind: Installation
            spec: {provider_name: acme/pg, version: v1.4.2}
            ---
            apiVersion: provsync/v1
            kind: Installation
            spec: {provider_name: acme/pg}
            """.utf8))
        let all = Diagnostic.sortedByLocation(decoded.diagnostics + ManifestLoader.duplicateIdentities(in: decoded.identities))
        #expect(all.map(\.description) == [
            "m.yaml:3:41: error: \"spec.version\" must be a semantic version like \"1.4.2\", not \"v1.4.2\"; drop the leading v",
            "m.yaml:7:23: error: installation/acme/pg is defined twice: here and at m.yaml:3:23",
        ])
    }

    @Test("references outside config and variables values are refused, not sent literally",
          arguments: [
              ("location: ${env:IMAGE}", "m.yaml:4:13: error: \"spec.location\": ${env:…} references are expanded only in spec.config and spec.variables values"),
              ("location: acme/a\n  agent_card: {name: \"${env:NAME}\", description: d, url: u, version: v, capabilities: {}, defaultInputModes: [], defaultOutputModes: [], skills: []}", "m.yaml:5:22: error: \"spec.agent_card.name\": ${env:…} references are expanded only in spec.config and spec.variables values"),
          ])
    func referencesElsewhere(spec: String, expected: String) {
        let result = decode("apiVersion: provsync/v1\nkind: AgentProvider\nspec:\n  \(spec)\n")
        #expect(result.diagnostics == [expected])
    }

    @Test("reference positions are exact for verbatim values and fall back to the value's start otherwise",
          arguments: [
              ("A: \"x ${env:Y}\"", 6, 11),
              ("A: 'it''s ${env:Y}'", 6, 8),
              ("A: \"\\t ${env:Y}\"", 6, 8),
              ("A: first\n      ${env:Y}", 6, 8),
          ])
    func referencePositions(entry: String, line: Int, column: Int) throws {
        let result = decode("apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: acme/x\n  config:\n    \(entry)\n")
        #expect(result.diagnostics.isEmpty)
        guard case .installation(let installation) = try #require(result.manifests.first).body else { return }
        let reference = try #require(installation.config["A"]?.references.first)
        #expect(reference.location == SourceLocation(file: "m.yaml", line: line, column: column))
    }

    @Test("clearer advice for common slips",
          arguments: [
              ("kind: AgentProvider\nspec: {location: \"HTTPS://agent.example.com\"}",
               "m.yaml:3:18: error: \"spec.location\": \"HTTPS://agent.example.com\": write the URL scheme in lowercase (http:// or https://)"),
              ("kind: Installation\nspec: {provider_name: acme/x}\npolicy: {ignore: [spec.config.A]}",
               "m.yaml:4:19: error: \"policy.ignore[0]\": paths start below spec; write \"config.A\""),
              ("kind: Installation\nspec: {provider_name: acme/x}\npolicy: {ignore: [provider_name]}",
               "m.yaml:4:19: error: \"policy.ignore[0]\": \"provider_name\" is the object's identity; it is never diffed or hidden"),
              ("kind: Installation\nspec: {provider_name: }",
               "m.yaml:3:23: error: \"spec.provider_name\" has no value; give a string"),
          ])
    func advice(body: String, expected: String) {
        #expect(decode("apiVersion: provsync/v1\n\(body)\n").diagnostics == [expected])
    }
}

@Suite("Manifest schema")
struct ManifestSchemaTests {
    private func properties(_ definition: String) -> [String] {
        guard case .object(let document) = ManifestSchema.document,
              case .object(let definitions)? = document["$defs"],
              case .object(let schema)? = definitions[definition],
              case .object(let properties)? = schema["properties"] else { return [] }
        return properties.keys.sorted()
    }

    @Test("the schema names exactly the fields the decoder accepts")
    func fieldsMatchDecoder() {
        #expect(properties("installationSpec") == InstallationKind.specFields.sorted())
        #expect(properties("agentProviderSpec") == AgentProviderKind.specFields.sorted())
        #expect(properties("policy") == PolicyDecoder.fields.sorted())
        guard case .object(let document) = ManifestSchema.document, case .object(let top)? = document["properties"] else {
            Issue.record("the schema has no top-level properties")
            return
        }
        #expect(top.keys.sorted() == ManifestDecoder.topLevelFields.sorted())
    }
}
