import Foundation
import Testing
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncTestSupport

/// No key material or CI settings from the machine running the tests: each test says what it has.
private func environment(_ changes: [String: String?] = [:]) -> [String: String?] {
    let clean: [String: String?] = ["PROVSYNC_TOKEN": nil, "PROVSYNC_USERNAME": nil, "PROVSYNC_PASSWORD": nil,
                                    "PROVSYNC_PLAN_KEY": nil, "GITHUB_ACTIONS": nil, "GITHUB_STEP_SUMMARY": nil,
                                    "CI": "true"]
    return clean.merging(changes) { $1 }
}

private func repository() throws -> ScratchRepository {
    let repo = try ScratchRepository()
    try repo.write("manifests/pg.yaml", """
        apiVersion: provsync/v1
        kind: Installation
        spec:
          provider_name: acme/postgres
          version: "1.4.2"
          config:
            LOG_LEVEL: info

        """)
    try repo.write("manifests/agent.yaml", Manifests.agent("ghcr.io/acme/research-agent:1.2.0"))
    try repo.commitAll()
    return repo
}

/// `provsync plan --out FILE` against `sandbox`, checked to succeed.
private func savePlan(_ repo: ScratchRepository, _ sandbox: LiveSandbox, to file: URL, format: String = "text",
                      key: String?) async throws -> ProcessOutput {
    let output = try await ProvsyncBinary.run(["plan", "--api-url", sandbox.url, "--format", format, "--out", file.path],
                                              in: repo.url, environment: environment(["PROVSYNC_PLAN_KEY": key]))
    #expect(output.status == 0, "\(output.stderr)")
    return output
}

private func show(_ arguments: [String], _ repo: ScratchRepository, key: String? = nil) async throws -> ProcessOutput {
    try await ProvsyncBinary.run(["show"] + arguments, in: repo.url, environment: environment(["PROVSYNC_PLAN_KEY": key]))
}

@Suite("provsync show")
struct ShowCommandTests {
    @Test("show prints a saved plan in text, JSON and markdown exactly as plan printed it, without an API call")
    func rendersAsPlanDid() async throws {
        let repo = try repository()
        defer { repo.delete() }
        try await withSandbox { sandbox in
            for format in ["text", "json", "markdown"] {
                let file = repo.scratch.appendingPathComponent("plan-\(format).json")
                let planned = try await savePlan(repo, sandbox, to: file, format: format, key: "k1")
                try await sandbox.clearRequests()
                let shown = try await show([file.path, "--format", format], repo, key: "k1")
                #expect(shown.status == 0, "\(format): \(shown.stderr)")
                #expect(shown.stdout == planned.stdout, "\(format)")
                #expect(shown.stderr.isEmpty, "\(format): \(shown.stderr)")
                #expect(try await sandbox.requests().isEmpty, "show makes no API call")
            }
            let text = try await show([repo.scratch.appendingPathComponent("plan-text.json").path], repo, key: "k1")
            #expect(text.stdoutLines.last == "Plan: 1 to install, 1 to create.", "text is the default")
        }
    }

    @Test("a saved plan changed after plan --out is refused: exit 1, the reason, nothing on stdout")
    func tampered() async throws {
        let repo = try repository()
        defer { repo.delete() }
        try await withSandbox { sandbox in
            for key in ["k1", nil] {
                let file = repo.scratch.appendingPathComponent("plan.json")
                _ = try await savePlan(repo, sandbox, to: file, key: key)
                let text = try String(decoding: Data(contentsOf: file), as: UTF8.self)
                try #require(text.contains("not installed"))
                try Data(text.replacingOccurrences(of: "not installed", with: "already there").utf8).write(to: file)
                let shown = try await show([file.path], repo, key: key)
                #expect(shown.status == 1, "key \(key ?? "none"): \(shown.stdout)")
                #expect(shown.stdout.isEmpty)
                #expect(shown.stderr.contains("the saved plan was changed after it was written (its seal does not match)"),
                        "\(shown.stderr)")
            }
        }
    }

    @Test("a file that cannot be read, or a plan printed with --format json (not saved), exits 1 with one error")
    func notASavedPlan() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let missing = try await show([repo.scratch.appendingPathComponent("nope.json").path], repo)
        #expect(missing.status == 1)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderrLines.count == 1 && missing.stderr.contains("error: cannot read the saved plan"),
                "\(missing.stderr)")
        try await withSandbox { sandbox in
            let printed = try await ProvsyncBinary.run(["plan", "--api-url", sandbox.url, "--format", "json"], in: repo.url,
                                                       environment: environment())
            let file = repo.scratch.appendingPathComponent("printed.json")
            try Data(printed.stdout.utf8).write(to: file)
            let shown = try await show([file.path], repo)
            #expect(shown.status == 1)
            #expect(shown.stdout.isEmpty)
            #expect(shown.stderr.contains("not a saved plan"), "\(shown.stderr)")
        }
    }

    @Test("without the plan's key, or with another, the plan is shown with a warning that it was not checked")
    func keyMissing() async throws {
        let repo = try repository()
        defer { repo.delete() }
        try await withSandbox { sandbox in
            let file = repo.scratch.appendingPathComponent("plan.json")
            let planned = try await savePlan(repo, sandbox, to: file, key: "k1")
            let unkeyed = try await show([file.path], repo)
            #expect(unkeyed.status == 0, "\(unkeyed.stderr)")
            #expect(unkeyed.stdout == planned.stdout)
            #expect(unkeyed.stderrLines.count == 1, "\(unkeyed.stderr)")
            #expect(unkeyed.stderr.hasPrefix("warning: the seal of \(file.path) cannot be checked"), "\(unkeyed.stderr)")
            #expect(unkeyed.stderr.contains("neither PROVSYNC_PLAN_KEY nor API credentials are set here"))
            #expect(unkeyed.stderr.contains("the plan is shown unchecked"))
            let otherKey = try await show([file.path], repo, key: "k2")
            #expect(otherKey.status == 0)
            #expect(otherKey.stdout == planned.stdout)
            #expect(otherKey.stderr.contains("the key here comes from PROVSYNC_PLAN_KEY and is another one"),
                    "\(otherKey.stderr)")
        }
    }

    @Test("a plan saved without any key is shown with a warning that its seal is only a checksum")
    func keylessPlan() async throws {
        let repo = try repository()
        defer { repo.delete() }
        try await withSandbox { sandbox in
            let file = repo.scratch.appendingPathComponent("plan.json")
            let planned = try await savePlan(repo, sandbox, to: file, key: nil)
            for key in [nil, "k1"] {
                let shown = try await show([file.path], repo, key: key)
                #expect(shown.status == 0, "\(shown.stderr)")
                #expect(shown.stdout == planned.stdout)
                #expect(shown.stderr.hasPrefix("warning: \(file.path) was saved without a key, so its seal is a checksum"),
                        "\(shown.stderr)")
                #expect(shown.stderr.contains("apply refuses it here") == (key != nil), "\(shown.stderr)")
            }
        }
    }
}
