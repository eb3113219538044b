import Foundation
import Testing
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncTestSupport

/// Checks the example GitHub workflows and the setup action under `examples/github` (parsed by PyYAML, a parser
/// independent of provsync's, as GitHub's is) for what they must do, and runs their provsync commands (the lines
/// of their `run:` blocks that start with `provsync`) against a sandbox, so the examples cannot rot.
@Suite("Example workflows")
struct ExampleWorkflowTests {
    private static let examples = ProvsyncBinary.packageRoot.appendingPathComponent("examples/github")
    /// The workflows a manifests repository runs; `release.yml` belongs in the provsync repository.
    private static let workflows = ["provsync-plan.yml", "provsync-apply.yml", "provsync-drift.yml"]

    /// YAML to JSON. `on`, which YAML 1.1 reads as `true`, stays the key `on`.
    private static let yamlToJSON = """
        import json, sys, yaml
        document = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
        if isinstance(document, dict) and True in document:
            document["on"] = document.pop(True)
        print(json.dumps(document))
        """

    private func parse(_ file: String) async throws -> JSONValue {
        let output = try await ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-c", Self.yamlToJSON, Self.examples.appendingPathComponent(file).path]
        )
        try #require(output.status == 0, "\(file) is not valid YAML: \(output.stderr)")
        return try JSONDecoder().decode(JSONValue.self, from: Data(output.stdout.utf8))
    }

    private func jobs(_ workflow: JSONValue) -> [String: JSONValue] {
        if case .object(let jobs)? = workflow["jobs"] { jobs } else { [:] }
    }

    private func steps(_ job: JSONValue) -> [JSONValue] { job["steps"]?.array ?? [] }

    private func runs(_ steps: [JSONValue]) -> [String] { steps.compactMap { $0["run"]?.string } }

    private func step(_ steps: [JSONValue], uses prefix: String) -> JSONValue? {
        steps.first { ($0["uses"]?.string ?? "").hasPrefix(prefix) }
    }

    /// The provsync commands of a job, with the pull request's base branch as `main`.
    private func commands(_ job: JSONValue) -> [String] {
        runs(steps(job)).flatMap { $0.split(separator: "\n") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("provsync ") }
            .map { $0.replacingOccurrences(of: "${{ github.base_ref }}", with: "main") }
    }

    /// Whether every `apt-get install` comes after an `apt-get update` in the same or an earlier step (a
    /// runner's package lists can be stale, and an install then fails).
    private func updatesBeforeInstalling(_ steps: [JSONValue]) -> Bool {
        var updated = false
        for line in runs(steps).flatMap({ $0.split(separator: "\n") }) {
            if line.contains("apt-get update") { updated = true }
            if line.contains("apt-get install") && !updated { return false }
        }
        return true
    }

    @Test("every example is YAML; the workflows install provsync with the setup action, apt-get update first")
    func structure() async throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Self.examples.path)
            .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
        #expect(Set(Self.workflows + ["release.yml", "setup-provsync/action.yml"]).isSubset(of: files))
        for file in files {
            let document = try await parse(file)
            let stepLists = file.hasSuffix("action.yml")
                ? [("runs", document["runs"]?["steps"]?.array ?? [])]
                : jobs(document).sorted { $0.key < $1.key }.map { ($0.key, steps($0.value)) }
            #expect(!stepLists.isEmpty && stepLists.allSatisfy { !$0.1.isEmpty }, "\(file) has no steps")
            for (name, steps) in stepLists {
                let ordered = updatesBeforeInstalling(steps)
                #expect(ordered, "\(file) (\(name)): apt-get install before apt-get update")
                guard Self.workflows.contains(file) else { continue }
                let uses = steps.compactMap { $0["uses"]?.string }
                #expect(uses.contains { $0 == "./.github/actions/setup-provsync" || $0.contains("/setup-provsync@") },
                        "\(file) (\(name)) does not install provsync with the setup action")
                #expect(!runs(steps).contains { $0.contains("git clone") || $0.contains("swift build") },
                        "\(file) (\(name)) builds provsync instead of installing a release")
            }
        }
    }

    @Test("the plan workflow plans once per pull request, keeps the plan, and keeps secrets away from forks")
    func planWorkflow() async throws {
        let workflow = try await parse("provsync-plan.yml")
        #expect(workflow["concurrency"]?["group"]?.string == "provsync-plan-${{ github.event.pull_request.number }}")
        #expect(workflow["concurrency"]?["cancel-in-progress"] == .bool(true))

        let all = jobs(workflow)
        let withSecrets = all.filter { $0.value.canonicalText.contains("secrets.") }
        #expect(withSecrets.count == 1, "exactly one job gets the secrets: \(withSecrets.keys.sorted())")
        let plan = try #require(withSecrets.first?.value)
        let planIf = plan["if"]?.string ?? ""
        #expect((planIf.contains("github.event.pull_request.head.repo.") && planIf.contains("github.repository"))
                || planIf.contains("!github.event.pull_request.head.repo.fork"),
                "the job with secrets runs only for pull requests from this repository: \(planIf)")
        #expect(plan["env"]?["PROVSYNC_PLAN_KEY"]?.string == "${{ secrets.PROVSYNC_PLAN_KEY }}")
        #expect(commands(plan).first?.hasPrefix("provsync validate") == true)
        #expect(commands(plan).contains { $0.hasPrefix("provsync plan ") && $0.contains("--out plan.json") })

        let planSteps = steps(plan)
        let upload = try #require(step(planSteps, uses: "actions/upload-artifact@"), "the saved plan is uploaded")
        #expect(upload["with"]?["path"]?.string?.contains("plan.json") == true)
        let comment = try #require(step(planSteps, uses: "actions/github-script@"))
        let script = comment["with"]?["script"]?.string ?? ""
        #expect(["always()", "!cancelled()"].contains { (comment["if"]?.string ?? "").contains($0) },
                "the comment is posted when provsync fails too")
        #expect(script.contains("'github-actions[bot]'") && script.contains("user?.login"),
                "only the workflow's own comment is updated")
        #expect(script.contains("plan.err") && script.contains("validate.err"), "errors go into the comment")
        let planIndex = try #require(planSteps.firstIndex { $0["id"] == "plan" })
        let commentIndex = try #require(planSteps.firstIndex { $0["uses"] == comment["uses"] })
        #expect(commentIndex > planIndex)

        // Forks: validate only, with no secret, and a note saying why.
        let forks = all.filter { $0.key != withSecrets.first?.key }
        #expect(forks.count == 1)
        let fork = try #require(forks.first?.value)
        let forkIf = fork["if"]?.string ?? ""
        #expect(forkIf.contains("github.event.pull_request.head.repo.") && forkIf != planIf)
        #expect(commands(fork) == ["provsync validate"])
        #expect(runs(steps(fork)).contains { $0.contains("fork") && $0.contains("GITHUB_STEP_SUMMARY") })
    }

    /// Runs the comment script as actions/github-script does, against stand-ins for `github` and `context`, in
    /// `directory` (where plan.md and the .err files are); returns the calls it made.
    private func runCommentScript(
        _ script: String, comments: String, outcomes: [String: String?], in directory: URL
    ) async throws -> JSONValue {
        let harness = """
            const [script, comments] = process.argv.slice(1);
            const calls = [];
            const github = {
              rest: { issues: {
                listComments: 'listComments',
                updateComment: async (args) => { calls.push({ update: args }); },
                createComment: async (args) => { calls.push({ create: args }); },
              } },
              paginate: async () => JSON.parse(comments),
            };
            const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 7 }, serverUrl: 'https://github.com', runId: 9 };
            const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
            new AsyncFunction('require', 'github', 'context', script)(require, github, context)
              .then(() => console.log(JSON.stringify(calls)), (error) => { console.error(error); process.exit(1); });
            """
        let output = try await ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["node", "-e", harness, script, comments], in: directory,
            environment: ProcessRunner.environment(outcomes)
        )
        try #require(output.status == 0, "the comment script failed: \(output.stderr)")
        return try JSONDecoder().decode(JSONValue.self, from: Data(output.stdout.utf8))
    }

    @Test("the plan comment updates only the bot's own comment and carries provsync's error when it fails")
    func planComment() async throws {
        let workflow = try await parse("provsync-plan.yml")
        let plan = try #require(jobs(workflow).first { $0.value.canonicalText.contains("secrets.") }?.value)
        let script = try #require(step(steps(plan), uses: "actions/github-script@")?["with"]?["script"]?.string)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("provsync-comment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let stranger = #"{"id": 1, "body": "<!-- provsync-plan -->\nfake", "user": {"login": "mallory", "type": "User"}}"#
        let bot = #"{"id": 2, "body": "<!-- provsync-plan -->\nold", "user": {"login": "github-actions[bot]", "type": "Bot"}}"#

        try Data("## provsync plan\n\n**Plan: 1 to upgrade.**\n".utf8).write(to: directory.appendingPathComponent("plan.md"))
        let updated = try await runCommentScript(script, comments: "[\(stranger), \(bot)]",
                                                 outcomes: ["VALIDATE_OUTCOME": "success", "PLAN_OUTCOME": "success"], in: directory)
        #expect(updated[0]?["update"]?["comment_id"] == .integer(2))
        #expect(updated[0]?["update"]?["body"]?.string?.hasPrefix("<!-- provsync-plan -->\n## provsync plan\n") == true)

        try FileManager.default.removeItem(at: directory.appendingPathComponent("plan.md"))
        try Data("::error::hidden\nerror: cannot reach https://api.example.com: connection refused\n".utf8)
            .write(to: directory.appendingPathComponent("plan.err"))
        let created = try await runCommentScript(script, comments: "[\(stranger)]",
                                                 outcomes: ["VALIDATE_OUTCOME": "success", "PLAN_OUTCOME": "failure"], in: directory)
        #expect(created[0]?["create"]?["issue_number"] == .integer(7), "a stranger's comment with the marker is left alone")
        let body = created[0]?["create"]?["body"]?.string ?? ""
        #expect(body.contains("provsync plan failed") && body.contains("connection refused") && !body.contains("::error"))
        #expect(body.contains("https://github.com/o/r/actions/runs/9"))
    }

    @Test("apply and drift share one concurrency group and never cancel a run; apply has the plan key")
    func applyAndDrift() async throws {
        for file in ["provsync-apply.yml", "provsync-drift.yml"] {
            let workflow = try await parse(file)
            #expect(workflow["concurrency"]?["group"]?.string == "provsync-apply", "\(file)")
            #expect(workflow["concurrency"]?["cancel-in-progress"] == .bool(false), "\(file)")
        }
        let apply = try #require(jobs(try await parse("provsync-apply.yml")).first?.value)
        #expect(apply["env"]?["PROVSYNC_PLAN_KEY"]?.string == "${{ secrets.PROVSYNC_PLAN_KEY }}")
    }

    @Test("the setup action downloads a release, verifies its checksum, caches it and puts provsync on PATH")
    func setupAction() async throws {
        let action = try await parse("setup-provsync/action.yml")
        #expect(action["runs"]?["using"]?.string == "composite")
        #expect(action["inputs"]?["version"]?["required"] == .bool(true))
        #expect(action["inputs"]?["repository"]?["default"]?.string == "your-org/provsync")
        let steps = action["runs"]?["steps"]?.array ?? []
        let scripts = runs(steps)
        #expect(step(steps, uses: "actions/cache@")?["with"]?["key"]?.string?.contains("steps.resolve.outputs.key") == true)
        #expect(scripts.contains { $0.contains("gh release download") || $0.contains("curl ") })
        let check = scripts.firstIndex { $0.contains("sha256sum -c") }
        let extract = scripts.firstIndex { $0.contains("tar -x") }
        #expect(check != nil && extract != nil && check! <= extract!, "the checksum is verified before unpacking")
        #expect(scripts.contains { $0.contains("GITHUB_PATH") })
    }

    @Test("the release workflow builds the tarball with scripts/build-release and attaches it with its checksum")
    func releaseWorkflow() async throws {
        let workflow = try await parse("release.yml")
        #expect(workflow["on"]?["push"]?["tags"] == .array(["v*"]))
        let steps = try #require(jobs(workflow).first.map { self.steps($0.value) })
        #expect(runs(steps).contains { $0.contains("scripts/build-release") })
        #expect(step(steps, uses: "swift-actions/setup-swift@") != nil)
        let attach = runs(steps).first { $0.contains("gh release upload") }
            ?? step(steps, uses: "softprops/action-gh-release@")?.canonicalText
        #expect(attach?.contains(".sha256") == true)

        let script = ProvsyncBinary.packageRoot.appendingPathComponent("scripts/build-release")
        let syntax = try await ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"), ["-n", script.path])
        #expect(syntax.status == 0, "scripts/build-release: \(syntax.stderr)")
    }

    private func run(_ command: String, in directory: URL, removing: [String] = []) async throws -> ProcessOutput {
        let path = ProvsyncBinary.url.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        var environment: [String: String?] = ["PATH": path, "DB_PASSWORD": "pw", "OPENAI_API_KEY": "key",
                                              "PROVSYNC_PLAN_KEY": "example-workflow-plan-key",
                                              "GITHUB_ACTIONS": "true", "CI": "true"]
        for name in removing { environment[name] = .some(nil) }
        return try await ProcessRunner.run(
            URL(fileURLWithPath: "/bin/bash"), ["-c", command], in: directory,
            environment: ProcessRunner.environment(environment)
        )
    }

    @Test("apply on push, plan on pull requests (and validate on forks) and scheduled drift work as written")
    func workflows() async throws {
        let origin = try ScratchRepository()
        defer { origin.delete() }
        let planJobs = jobs(try await parse("provsync-plan.yml"))
        let planJob = try #require(planJobs.first { $0.value.canonicalText.contains("secrets.") }?.value)
        let forkJob = try #require(planJobs.first { !$0.value.canonicalText.contains("secrets.") }?.value)
        let applyJobs = jobs(try await parse("provsync-apply.yml")).values
        let driftJobs = jobs(try await parse("provsync-drift.yml")).values
        try await withSandbox { sandbox in
            try origin.write("provsync.yaml", "api: \(sandbox.url)\nparallelism: 4\n")
            try origin.write("manifests/pg.yaml", """
                apiVersion: provsync/v1
                kind: Installation
                spec:
                  provider_name: acme/postgres
                  version: "1.4.2"
                  config:
                    DB_PASSWORD: ${env:DB_PASSWORD}

                """)
            try origin.commitAll()
            let work = try origin.clone(named: "work")

            let apply = applyJobs.flatMap(commands)
            #expect(apply == ["provsync apply --auto-approve --wait --wait-timeout 900"])
            for command in apply {
                let output = try await run(command, in: work.url)
                #expect(output.status == 0, "\(command): \(output.stdout)\(output.stderr)")
            }

            let drift = driftJobs.flatMap(commands)
            #expect(drift.count == 1)
            for command in drift {
                let output = try await run(command, in: work.url)
                #expect(output.status == 0, "\(command): \(output.stdout)\(output.stderr)")
                #expect(FileManager.default.fileExists(atPath: work.url.appendingPathComponent("drift.xml").path))
            }

            try work.git("checkout", "-q", "-b", "change")
            try work.write("manifests/pg.yaml", """
                apiVersion: provsync/v1
                kind: Installation
                spec:
                  provider_name: acme/postgres
                  version: "1.5.0"
                  config:
                    DB_PASSWORD: ${env:DB_PASSWORD}

                """)
            try work.commitAll()
            let plan = commands(planJob)
            #expect(plan.count == 2)
            for command in plan {
                let output = try await run(command, in: work.url)
                #expect(output.status == 0, "\(command): \(output.stdout)\(output.stderr)")
            }
            let markdown = try String(decoding: Data(contentsOf: work.url.appendingPathComponent("plan.md")), as: UTF8.self)
            #expect(markdown.hasPrefix("## provsync plan\n\n**Plan: 1 to upgrade.**"))
            #expect(markdown.contains("### Changes made by this pull request"))
            #expect(FileManager.default.fileExists(atPath: work.url.appendingPathComponent("plan.json").path))
            #expect(FileManager.default.fileExists(atPath: work.url.appendingPathComponent("plan.err").path))

            // A fork's pull request has no secret at all: validation still works.
            for command in commands(forkJob) {
                let output = try await run(command, in: work.url,
                                           removing: ["DB_PASSWORD", "OPENAI_API_KEY", "PROVSYNC_TOKEN", "PROVSYNC_PLAN_KEY"])
                #expect(output.status == 0, "\(command) without secrets: \(output.stdout)\(output.stderr)")
            }

            try await sandbox.call("POST", "/providers/installed/acme/postgres/upgrade", json: ["version": "1.5.0"])
            try work.git("checkout", "-q", "main")
            for command in drift {
                let output = try await run(command, in: work.url)
                #expect(output.status == 2, "drift fails the job: \(output.stdout)")
            }
        }
    }
}
