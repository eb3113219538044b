import Foundation
import Testing
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncTestSupport

private let manifests = [
    "manifests/db.yaml": """
        apiVersion: provsync/v1
        kind: Installation
        spec:
          provider_name: acme/postgres
          version: "1.4.2"
          config:
            DB_PASSWORD: ${env:DB_PASSWORD}

        """,
    "manifests/agent.yaml": """
        apiVersion: provsync/v1
        kind: AgentProvider
        spec:
          location: ghcr.io/acme/research-agent:1.2.0
          variables:
            OPENAI_API_KEY: ${env:OPENAI_API_KEY}

        """,
]

private let secrets = ["DB_PASSWORD": "pg-s3cret-value", "OPENAI_API_KEY": "sk-very-secret"]

private func repository() throws -> ScratchRepository {
    let repo = try ScratchRepository()
    for (path, text) in manifests { try repo.write(path, text) }
    try repo.commitAll()
    return repo
}

@Suite("provsync plan")
struct PlanCommandTests {
    @Test("a change apply would refuse (an unpublished pinned version) makes plan exit 1, also with --detailed-exitcode")
    func refusedChangeFails() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/db.yaml", "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: acme/postgres\n"
                       + "  version: \"1.6.0\"\n")
        try repo.commitAll()
        for extra in [[], ["--detailed-exitcode"]] {
            let result = try await ProvsyncBinary.run(["plan", "--sandbox"] + extra, in: repo.url, environment: ["CI": "true"])
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("version 1.6.0 of acme/postgres is not published: its status is staged"),
                    "\(result.stdout)")
        }
    }

    @Test("against the embedded sandbox: every manifest is a change, and no secret is printed")
    func planAgainstSandbox() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let output = try await ProvsyncBinary.run(["plan", "--sandbox"], in: repo.url, environment: secrets)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("+   installation/acme/postgres  (install: not installed)"))
        #expect(output.stdout.contains("+   agent/ghcr.io/acme/research-agent  (create: no provider with this origin)"))
        #expect(output.stdoutLines.last == "Plan: 1 to install, 1 to create.")
        for secret in secrets.values {
            #expect(!output.stdout.contains(secret) && !output.stderr.contains(secret))
        }
        #expect(FileManager.default.fileExists(atPath: repo.url.appendingPathComponent(".provsync/.gitignore").path))
        #expect(try repo.git("status", "--porcelain").isEmpty, "the sandbox state must not dirty the repository")
    }

    @Test("--detailed-exitcode exits 2 with changes; --format json has the spec's shape; --out saves the plan")
    func jsonAndExitCode() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let saved = repo.scratch.appendingPathComponent("plan.json")
        let output = try await ProvsyncBinary.run(
            ["plan", "--sandbox", "--format", "json", "--detailed-exitcode", "--out", saved.path], in: repo.url,
            environment: secrets
        )
        #expect(output.status == 2, "\(output.stderr)")
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(output.stdout.utf8))
        #expect(json["format_version"]?.string == "1")
        #expect(json["summary"]?["install"] == .integer(1))
        #expect(json["summary"]?["create"] == .integer(1))
        let changes = try #require(json["changes"]?.array)
        #expect(changes.map { $0["address"]?.string } == ["agent/ghcr.io/acme/research-agent", "installation/acme/postgres"])
        let savedText = try String(decoding: Data(contentsOf: saved), as: UTF8.self)
        let savedJSON = try JSONDecoder().decode(JSONValue.self, from: Data(savedText.utf8))
        let digest = try #require(savedJSON["saved"]?["desired_digest"]?.string)
        #expect(digest.count == 64 && digest.allSatisfy(\.isHexDigit), "a saved plan records its desired digest")
        for secret in secrets.values {
            #expect(!output.stdout.contains(secret) && !savedText.contains(secret))
        }
    }

    @Test("plan --base --changed-only --out saves the scoped plan: show says it is scoped, apply FILE applies only its changes")
    func changedOnlySaved() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let environment: [String: String?] = secrets.mapValues { Optional($0) }.merging([
            "PROVSYNC_PLAN_KEY": "cli-changed-only-key", "PROVSYNC_TOKEN": nil, "PROVSYNC_USERNAME": nil,
            "PROVSYNC_PASSWORD": nil, "PROVSYNC_STORE_TOKEN": nil, "PROVSYNC_AGENTS_TOKEN": nil,
            "PROVSYNC_AGENTS_USERNAME": nil, "PROVSYNC_AGENTS_PASSWORD": nil, "GITHUB_ACTIONS": nil,
            "GITHUB_STEP_SUMMARY": nil, "CI": "true",
        ]) { $1 }
        try await withSandbox { sandbox in
            let api = ["--api-url", sandbox.url]
            let first = try await ProvsyncBinary.run(["apply", "--auto-approve"] + api, in: repo.url, environment: environment)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let base = try repo.sha("HEAD")
            try repo.write("manifests/agent.yaml", manifests["manifests/agent.yaml", default: ""]
                .replacingOccurrences(of: "research-agent:1.2.0", with: "research-agent:1.3.0"))
            try repo.commitAll()
            // Drift outside the change, by hand: the scoped plan neither shows nor applies it.
            try await sandbox.editInstallation("acme/postgres", ["installedVersion": "1.5.0"])

            let file = repo.scratch.appendingPathComponent("plan.json")
            let planned = try await ProvsyncBinary.run(
                ["plan", "--base", base, "--changed-only", "--format", "markdown", "--out", file.path] + api,
                in: repo.url, environment: environment)
            #expect(planned.status == 0, "\(planned.stderr)")
            #expect(planned.stdout.contains("**Plan: 1 to update.**"), "\(planned.stdout)")
            #expect(planned.stdout.contains("objects outside the change were not read in detail"), "\(planned.stdout)")
            let saved = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: file))
            #expect(saved["changed_only"] == .array(["agent/ghcr.io/acme/research-agent"]))
            #expect(saved["format_version"]?.string == "2" && saved["seal"]?.string != nil)

            let shown = try await ProvsyncBinary.run(["show", file.path], in: repo.url, environment: environment)
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.stdout.contains("Changed only: 1 object whose manifests this change touches were planned"),
                    "\(shown.stdout)")

            let applied = try await ProvsyncBinary.run(["apply", file.path] + api, in: repo.url, environment: environment)
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(applied.stdout.contains("~   agent/ghcr.io/acme/research-agent  (update:"), "\(applied.stdout)")
            #expect(!applied.stdout.contains("installation/acme/postgres"), "\(applied.stdout)")
            let world = try await sandbox.call("GET", "/_sandbox/state").body
            #expect(world?["installations"]?["acme/postgres"]?["installedVersion"]?.string == "1.5.0",
                    "the drift outside the scope is left for drift and a full plan")
            let after = try await ProvsyncBinary.run(["plan", "--detailed-exitcode"] + api, in: repo.url, environment: environment)
            #expect(after.status == 2 && after.stdout.contains("installation/acme/postgres")
                    && !after.stdout.contains("agent/ghcr.io/acme/research-agent  ("), "\(after.stdout)")
        }
    }
}
