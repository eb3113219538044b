import Testing
import ProvsyncModel
@testable import ProvsyncManifests

private func decode(_ text: String) -> (manifests: [Manifest], diagnostics: [String]) {
    let result = ManifestDecoder.decode(file: "m.yaml", bytes: Array(text.utf8))
    return (result.manifests, Diagnostic.sortedByLocation(result.diagnostics).map(\.description))
}

private func configuration(_ text: String) -> (configuration: ProjectConfiguration, diagnostics: [String]) {
    let result = ConfigurationDecoder.decode(file: "provsync.yaml", bytes: Array(text.utf8), limits: .standard)
    return (result.configuration, result.diagnostics.map(\.description))
}

@Suite("Decoding deletions: ensure, policy.cascade and prune")
struct DeletionDecodingTests {
    @Test("ensure: absent needs only the identity; present is the default; other values are errors")
    func ensure() throws {
        let absent = decode("""
            apiVersion: provsync/v1
            kind: Installation
            ensure: absent
            spec:
              provider_name: acme/old
            policy:
              cascade: true
            """)
        #expect(absent.diagnostics.isEmpty)
        let manifest = try #require(absent.manifests.first)
        #expect(manifest.ensure == .absent)
        #expect(manifest.policy.cascade)
        let agent = decode("apiVersion: provsync/v1\nkind: AgentProvider\nensure: absent\nspec:\n  location: ghcr.io/acme/a:1\n")
        #expect(agent.diagnostics.isEmpty)
        #expect(agent.manifests.first?.ensure == .absent)
        let plain = decode("apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: acme/new\n")
        #expect(plain.manifests.first?.ensure == .present)
        let wrong = decode("apiVersion: provsync/v1\nkind: Installation\nensure: gone\nspec:\n  provider_name: acme/x\n")
        #expect(wrong.manifests.isEmpty)
        #expect(wrong.diagnostics.count == 1)
        #expect(wrong.diagnostics.first?.hasPrefix("m.yaml:3:9: error:") == true)
        #expect(wrong.diagnostics.first?.contains("absent") == true)
    }

    @Test("policy.cascade is for installations only")
    func cascadeOnAgents() {
        let result = decode("""
            apiVersion: provsync/v1
            kind: AgentProvider
            spec:
              location: ghcr.io/acme/a:1
            policy:
              cascade: true
            """)
        #expect(result.diagnostics == ["m.yaml:6:12: error: \"policy.cascade\" applies to installations (their active "
                                       + "resources); a AgentProvider is deleted on its own"])
    }

    @Test("prune: owns, protect and max_deletes, each pattern with its place; bad patterns and limits are errors")
    func prune() throws {
        let good = configuration("""
            prune:
              owns: ["installation/acme/*", "agent/ghcr.io/acme/*"]
              protect: [installation/acme/billing]
              max_deletes: 2
            """)
        #expect(good.diagnostics.isEmpty)
        let rules = try #require(good.configuration.prune)
        #expect(rules.owns.map(\.value) == ["installation/acme/*", "agent/ghcr.io/acme/*"])
        #expect(rules.owns.first?.location.description == "provsync.yaml:2:10")
        #expect(rules.protect.map(\.value) == ["installation/acme/billing"])
        #expect(rules.maxDeletes == 2)
        #expect(rules.owner(of: .installation(providerName: "acme/billing")) == nil, "protect wins over owns")
        #expect(rules.owner(of: .installation(providerName: "acme/pg"))?.value == "installation/acme/*")

        let bad = configuration("""
            prune:
              owns: ["acme/*", "installation/a*b", "installation/"]
              max_deletes: -1
              prune_all: true
            """)
        #expect(bad.diagnostics.count == 5)
        #expect(bad.diagnostics.contains { $0.hasPrefix("provsync.yaml:2:10: error: \"prune.owns[0]\": \"acme/*\" is not an address pattern") })
        #expect(bad.diagnostics.contains { $0.hasPrefix("provsync.yaml:2:20: error: \"prune.owns[1]\"") })
        #expect(bad.diagnostics.contains { $0.hasPrefix("provsync.yaml:2:40: error: \"prune.owns[2]\"") })
        #expect(bad.diagnostics.contains { $0.hasPrefix("provsync.yaml:3:16: error:") })
        #expect(bad.diagnostics.contains { $0.contains("prune_all") })
    }
}
