import Foundation
import Testing
import ProvsyncTestSupport

private let configuration = """
    environments:
      staging: {api: "https://staging.example.com", paths: [manifests/base, manifests/staging]}
      production: {paths: [manifests/base, manifests/production]}

    """

private func installation(_ name: String, _ version: String) -> String {
    Manifests.installation(name, version: version)
}

private func repository() throws -> ScratchRepository {
    let repo = try ScratchRepository()
    try repo.write("provsync.yaml", configuration)
    try repo.write("manifests/base/pg.yaml", installation("acme/postgres", "1.4.2"))
    try repo.write("manifests/staging/pg.yaml", installation("acme/postgres", "1.5.0"))
    try repo.write("manifests/production/pg.yaml", "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: acme/postgres\n  version: 1.5\n")
    _ = try repo.commitAll()
    return repo
}

@Suite("provsync environments, and --env on the other commands")
struct EnvironmentCommandTests {
    @Test("environments --format json lists the names for a CI matrix, with each one's layers")
    func list() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let output = try await ProvsyncBinary.run(["environments", "--format", "json"], in: repo.url)
        #expect(output.status == 0)
        let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        #expect(document?["names"] as? [String] == ["staging", "production"])
        let first = (document?["environments"] as? [[String: Any]])?.first
        #expect(first?["paths"] as? [String] == ["manifests/base", "manifests/staging"])
        #expect(first?["api_url"] as? String == "https://staging.example.com")
        let text = try await ProvsyncBinary.run(["environments"], in: repo.url)
        #expect(text.stdoutLines == ["staging: layers manifests/base, manifests/staging; api https://staging.example.com",
                                     "production: layers manifests/base, manifests/production"])
    }

    @Test("validate checks every environment without --env, one with it, and names the layer file of an error")
    func validate() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let every = try await ProvsyncBinary.run(["validate"], in: repo.url)
        #expect(every.status == 1)
        #expect(every.stderr.contains("manifests/production/pg.yaml:5:12: error: \"spec.version\" must be a semantic version string"))
        let staging = try await ProvsyncBinary.run(["validate", "--env", "staging"], in: repo.url)
        #expect(staging.status == 0)
        #expect(staging.stdoutLines.first?.hasPrefix("staging: 1 manifest valid (1 Installation, 0 AgentProvider) at ") == true)
    }

    @Test("plan without --env names the environments; two --env are refused; both exit 1 before any API call")
    func planNeedsOne() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let none = try await ProvsyncBinary.run(["plan", "--api-url", "http://127.0.0.1:9"], in: repo.url)
        #expect(none.status == 1)
        #expect(none.stderr.contains("provsync.yaml defines environments staging, production: pass --env NAME"))
        let two = try await ProvsyncBinary.run(["plan", "--env", "staging", "--env", "production"], in: repo.url)
        #expect(two.status == 1)
        #expect(two.stderr.contains("--env names one environment here"))
    }
}
