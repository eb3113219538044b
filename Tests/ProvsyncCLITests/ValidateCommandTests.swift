import Foundation
import Testing
import ProvsyncTestSupport

private let validInstallation = """
    apiVersion: provsync/v1
    kind: Installation
    spec:
      provider_name: acme/postgres
      version: "1.4.2"

    """

private let validAgent = """
    apiVersion: provsync/v1
    kind: AgentProvider
    spec:
      location: ghcr.io/acme/agent:1.0.0

    """

@Suite("provsync validate")
struct ValidateCommandTests {
    @Test("valid manifests: one summary line with the kinds and the short commit, exit 0")
    func valid() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/db.yaml", validInstallation)
        try repo.write("manifests/agents/a.yml", validAgent)
        let sha = try repo.commitAll()
        let output = try await ProvsyncBinary.run(["validate"], in: repo.url)
        #expect(output.status == 0)
        #expect(output.stdoutLines == ["2 manifests valid (1 Installation, 1 AgentProvider) at \(sha.prefix(7))"])
        #expect(output.stderr.isEmpty)
    }

    @Test("PROVSYNC_TIMINGS prints the time of reading the manifests to stderr only; without it nothing")
    func timings() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/db.yaml", validInstallation)
        try repo.commitAll()
        let timed = try await ProvsyncBinary.run(["validate"], in: repo.url,
                                                 environment: ["PROVSYNC_TIMINGS": "1"])
        #expect(timed.status == 0)
        #expect(timed.stdoutLines.count == 1)
        let pattern = /^timing: read manifests cpu \d+\.\d{3} s, wall \d+\.\d{3} s$/
        #expect(timed.stderrLines.count == 1 && timed.stderrLines.allSatisfy { $0.wholeMatch(of: pattern) != nil },
                "\(timed.stderr)")
        let plain = try await ProvsyncBinary.run(["validate"], in: repo.url,
                                                 environment: ["PROVSYNC_TIMINGS": nil])
        #expect(plain.stderr.isEmpty)
    }

    @Test("invalid manifests: every error as path:line:column, a count, exit 1, nothing on stdout")
    func invalid() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: x\n")
        try repo.write("manifests/b.yaml", "apiVersion: provsync/v1\nkind: AgentProvidr\nspec: {}\n")
        try repo.commitAll()
        let output = try await ProvsyncBinary.run(["validate"], in: repo.url, environment: ["GITHUB_ACTIONS": nil])
        #expect(output.status == 1)
        #expect(output.stdout.isEmpty)
        #expect(output.stderrLines == [
            "manifests/a.yaml:4:18: error: \"spec.provider_name\" must be \"org/name\", not \"x\"",
            "manifests/b.yaml:2:7: error: unknown kind \"AgentProvidr\"; expected one of Installation, AgentProvider; "
                + "did you mean \"AgentProvider\"?",
            "validation failed: 2 errors in 2 files",
        ])
    }

    @Test("under GitHub Actions each error is also an ::error annotation on stdout")
    func githubAnnotations() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: x\n")
        try repo.commitAll()
        let output = try await ProvsyncBinary.run(["validate"], in: repo.url, environment: ["GITHUB_ACTIONS": "true"])
        #expect(output.status == 1)
        #expect(output.stdoutLines == [
            "::error file=manifests/a.yaml,line=4,col=18::\"spec.provider_name\" must be \"org/name\", not \"x\"",
        ])
    }

    @Test("manifests come from the commit; --worktree reads uncommitted edits")
    func commitVersusWorktree() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/db.yaml", validInstallation)
        try repo.commitAll()
        try repo.write("manifests/db.yaml", "broken: [")
        let committed = try await ProvsyncBinary.run(["validate"], in: repo.url)
        #expect(committed.status == 0)
        let working = try await ProvsyncBinary.run(["validate", "--worktree"], in: repo.url)
        #expect(working.status == 1)
        #expect(working.stderrLines.first?.hasPrefix("manifests/db.yaml:1:") == true)
    }

    @Test("--repo, --ref and --path select what is read")
    func options() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("infra/db.yaml", validInstallation)
        let first = try repo.commitAll()
        try repo.write("infra/agent.yaml", validAgent)
        try repo.commitAll()
        let elsewhere = FileManager.default.temporaryDirectory
        let output = try await ProvsyncBinary.run(
            ["validate", "--repo", repo.path, "--ref", "HEAD~1", "--path", "infra"], in: elsewhere
        )
        #expect(output.stdoutLines == ["1 manifest valid (1 Installation, 0 AgentProvider) at \(first.prefix(7))"])
    }

    @Test("an unknown ref is one error line and exit 1")
    func unknownRef() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/db.yaml", validInstallation)
        try repo.commitAll()
        let output = try await ProvsyncBinary.run(["validate", "--ref", "nope"], in: repo.url)
        #expect(output.status == 1)
        #expect(output.stderrLines.count == 1)
        #expect(output.stderrLines.first?.hasPrefix("error: unknown revision 'nope' in ") == true)
    }

    @Test("outside any repository: one error line and exit 1")
    func noRepository() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await ProvsyncBinary.run(["validate"], in: directory)
        #expect(output.status == 1)
        #expect(output.stderrLines.count == 1)
        #expect(output.stderrLines.first?.hasPrefix("error: no git repository at or above ") == true)
    }

    @Test("this repository's demo manifests are valid")
    func demoManifests() async throws {
        let output = try await ProvsyncBinary.run(
            ["validate", "--worktree", "--path", "manifests"], in: ProvsyncBinary.packageRoot
        )
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("7 manifests valid (4 Installation, 3 AgentProvider)"))
    }
}
