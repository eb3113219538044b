import Foundation
import Testing
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncSandbox
import ProvsyncTestSupport

/// Checks the example GitHub workflows and the setup action under `examples/github` (parsed by PyYAML, a parser
/// independent of provsync's, as GitHub's is) for what they must do, and runs their jobs' `run:` steps as written
/// (`WorkflowJobRunner`, matrix entries and secrets substituted) against sandboxes, one per environment, so the
/// examples cannot rot.
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

    /// The job with the secrets (plan, apply or drift), run once per environment.
    private func matrixJob(_ workflow: JSONValue) throws -> (name: String, job: JSONValue) {
        let withSecrets = jobs(workflow).filter { $0.value.canonicalText.contains("secrets.") }
        try #require(withSecrets.count == 1, "exactly one job gets the secrets: \(withSecrets.keys.sorted())")
        return (withSecrets.first!.key, withSecrets.first!.value)
    }

    /// The job listing the environments: the one the matrix job needs, with the `names` output.
    private func environmentsJob(_ workflow: JSONValue) throws -> JSONValue {
        let (_, matrix) = try matrixJob(workflow)
        let needs = matrix["needs"]?.string.map { [$0] } ?? matrix["needs"]?.array?.compactMap(\.string) ?? []
        let listing = jobs(workflow).filter { needs.contains($0.key) && $0.value["outputs"]?["names"] != nil }
        try #require(listing.count == 1, "the matrix job needs one job that lists the environments: \(needs)")
        return listing.first!.value
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
                guard Self.workflows.contains(file), runs(steps).contains(where: { $0.contains("provsync ") }) else { continue }
                let uses = steps.compactMap { $0["uses"]?.string }
                #expect(uses.contains { $0 == "./.github/actions/setup-provsync" || $0.contains("/setup-provsync@") },
                        "\(file) (\(name)) does not install provsync with the setup action")
                #expect(!runs(steps).contains { $0.contains("git clone") || $0.contains("swift build") },
                        "\(file) (\(name)) builds provsync instead of installing a release")
            }
        }
    }

    @Test("each workflow lists the environments first and runs its job as a matrix over their names, --env from the entry")
    func matrixStructure() async throws {
        for file in Self.workflows {
            let workflow = try await parse(file)
            let listing = try environmentsJob(workflow)
            #expect(listing["outputs"]?["names"]?.string == "${{ steps.list.outputs.names }}", "\(file)")
            let list = try #require(steps(listing).first { $0["id"] == "list" }, "\(file): a step with id list")
            #expect(list["run"]?.string?.contains("provsync environments --format json") == true, "\(file)")
            #expect(!listing.canonicalText.contains("secrets."), "\(file): listing the environments needs no secret")
            let readme = try String(contentsOf: ProvsyncBinary.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
            for line in (list["run"]?.string ?? "").split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                #expect(readme.contains(line.trimmingCharacters(in: .whitespaces)), "README.md shows the environments job as \(file) has it")
            }

            let (name, job) = try matrixJob(workflow)
            let strategy = job["strategy"]
            #expect(strategy?["fail-fast"] == .bool(false), "\(file) (\(name))")
            #expect(strategy?["matrix"]?["environment"]?.string == "${{ fromJSON(needs.environments.outputs.names) }}",
                    "\(file) (\(name))")
            #expect(jobs(workflow)["environments"] != nil, "\(file): the job the matrix reads is called environments")
            #expect(job["environment"]?.string == "${{ matrix.environment }}", "\(file) (\(name)): secrets per environment")
            #expect(job["env"]?["ENVIRONMENT"]?.string == "${{ matrix.environment }}", "\(file) (\(name))")
            let provsync = commands(job)
            #expect(!provsync.isEmpty && provsync.allSatisfy { $0.contains(#"${ENVIRONMENT:+--env "$ENVIRONMENT"}"#) },
                    "\(file) (\(name)): every provsync command passes --env, or nothing for the empty entry: \(provsync)")
        }
    }

    @Test("plan has a concurrency group per pull request and environment; apply and drift share one per environment")
    func concurrencyGroups() async throws {
        let planWorkflow = try await parse("provsync-plan.yml")
        let plan = try matrixJob(planWorkflow).job
        let planGroup = plan["concurrency"]?["group"]?.string
        #expect(planGroup == "provsync-plan-${{ github.event.pull_request.number }}-${{ matrix.environment }}")
        #expect(plan["concurrency"]?["cancel-in-progress"] == .bool(true))
        // The whole run is one per pull request too (its comment job included); a job's group must differ from
        // its run's, or the job would wait for its own run.
        let runGroup = planWorkflow["concurrency"]?["group"]?.string
        #expect(runGroup == "provsync-plan-${{ github.event.pull_request.number }}")
        #expect(planWorkflow["concurrency"]?["cancel-in-progress"] == .bool(true))
        for environment in ["", "staging"] {
            let context = WorkflowContext(environment: environment, secrets: [:])
            #expect(context.substitute(planGroup ?? "") != context.substitute(runGroup ?? ""))
        }

        var groups: [String] = []
        for file in ["provsync-apply.yml", "provsync-drift.yml"] {
            let workflow = try await parse(file)
            #expect(workflow["concurrency"] == nil, "\(file): no run-wide group, so environments never wait for each other")
            let job = try matrixJob(workflow).job
            groups.append(job["concurrency"]?["group"]?.string ?? "")
            #expect(job["concurrency"]?["cancel-in-progress"] == .bool(false), "\(file) never cancels a run")
        }
        #expect(groups == ["provsync-apply-${{ matrix.environment }}", "provsync-apply-${{ matrix.environment }}"])
        let staging = WorkflowContext(environment: "staging", secrets: [:]).substitute(groups[0])
        let production = WorkflowContext(environment: "production", secrets: [:]).substitute(groups[0])
        #expect(staging != production)
    }

    @Test("the jobs take each API's own credential from their environment's secrets and name the alternatives")
    func secretsPerAPI() async throws {
        for file in Self.workflows {
            let (name, job) = try matrixJob(try await parse(file))
            #expect(job["env"]?["PROVSYNC_STORE_TOKEN"]?.string == "${{ secrets.PROVSYNC_STORE_TOKEN }}", "\(file) (\(name))")
            #expect(job["env"]?["PROVSYNC_AGENTS_PASSWORD"]?.string == "${{ secrets.PROVSYNC_AGENTS_PASSWORD }}", "\(file) (\(name))")
            for shared in ["PROVSYNC_TOKEN", "PROVSYNC_USERNAME", "PROVSYNC_PASSWORD"] {
                #expect(job["env"]?[shared] == nil, "\(file) (\(name)) sends one shared \(shared) instead")
            }
            let text = try String(contentsOf: Self.examples.appendingPathComponent(file), encoding: .utf8)
            #expect(text.contains("PROVSYNC_AGENTS_TOKEN") && text.contains("PROVSYNC_TOKEN"),
                    "\(file): a comment names the alternatives")
        }
        let apply = try matrixJob(try await parse("provsync-apply.yml")).job
        #expect(apply["env"]?["PROVSYNC_PLAN_KEY"]?.string == "${{ secrets.PROVSYNC_PLAN_KEY }}")
    }

    @Test("the plan workflow keeps secrets away from forks, keeps each plan, and comments from a job of its own")
    func planWorkflow() async throws {
        let workflow = try await parse("provsync-plan.yml")
        let all = jobs(workflow)
        let (planName, plan) = try matrixJob(workflow)
        let sameRepository = { (condition: String) in
            (condition.contains("github.event.pull_request.head.repo.full_name == github.repository"))
                || condition.contains("!github.event.pull_request.head.repo.fork")
        }
        #expect(sameRepository(plan["if"]?.string ?? ""), "the job with secrets runs only for this repository's branches")
        #expect(sameRepository(all["environments"]?["if"]?.string ?? ""))
        #expect(plan["env"]?["PROVSYNC_PLAN_KEY"]?.string == "${{ secrets.PROVSYNC_PLAN_KEY }}")
        #expect(commands(plan).first?.hasPrefix("provsync validate") == true)
        #expect(commands(plan).contains { $0.hasPrefix("provsync plan ") && $0.contains("--out plan.json") && $0.contains("--base")
            && $0.contains("--changed-only") }, "the pull request's plan is of the change only, and saved")
        // The scheduled drift check stays the full read: it covers what the plans of the change leave out.
        let drift = try matrixJob(try await parse("provsync-drift.yml")).job
        #expect(commands(drift).contains { $0.hasPrefix("provsync drift ") })
        #expect(!drift.canonicalText.contains("--changed-only") && !drift.canonicalText.contains("--target"))

        let planSteps = steps(plan)
        let uploads = planSteps.filter { ($0["uses"]?.string ?? "").hasPrefix("actions/upload-artifact@") }
        let saved = try #require(uploads.first { $0["with"]?["path"]?.string?.contains("plan.json") == true },
                                 "the saved plan is uploaded")
        #expect(saved["with"]?["name"]?.string?.contains("matrix.environment") == true, "one artifact per environment")
        let result = try #require(uploads.first { $0["with"]?["path"]?.string == "comment/" }, "the result for the comment")
        #expect(result["if"]?.string?.contains("!cancelled()") == true, "also when validate or plan failed")
        let resultName = try #require(result["with"]?["name"]?.string)
        #expect(resultName.contains("matrix.environment"))
        #expect(step(planSteps, uses: "actions/github-script@") == nil, "the plan jobs do not comment one by one")

        // The comment job: after the matrix, also when it failed, for this repository's branches only.
        let (commentName, comment) = try #require(all.first { step(steps($0.value), uses: "actions/github-script@") != nil })
        let needs = comment["needs"]?.array?.compactMap(\.string) ?? []
        #expect(needs.contains(planName) && needs.contains("environments"))
        let condition = comment["if"]?.string ?? ""
        #expect(["always()", "!cancelled()"].contains { condition.contains($0) }, "the comment is posted when provsync fails too")
        #expect(sameRepository(condition), "\(commentName): no comment for forks")
        #expect(comment["permissions"]?["pull-requests"]?.string == "write")
        #expect(!comment.canonicalText.contains("secrets."))
        let download = try #require(step(steps(comment), uses: "actions/download-artifact@"))
        let pattern = download["with"]?["pattern"]?.string ?? ""
        let context = WorkflowContext(environment: "staging", secrets: [:])
        let prefix = context.substitute(pattern).replacingOccurrences(of: "*", with: "")
        #expect(pattern.hasSuffix("*") && context.substitute(resultName).hasPrefix(prefix),
                "the comment job downloads every plan job's result: \(pattern) for \(resultName)")
        let script = step(steps(comment), uses: "actions/github-script@")?["with"]?["script"]?.string ?? ""
        #expect(script.contains("'github-actions[bot]'") && script.contains("user?.login"), "only the workflow's own comment is updated")
        #expect(script.contains("plan.err") && script.contains("validate.err"), "errors go into the comment")
        let commentEnv = step(steps(comment), uses: "actions/github-script@")?["env"]
        #expect(commentEnv?["NAMES"]?.string == "${{ needs.environments.outputs.names }}")

        // Forks: validate only, with no secret, and a note saying why.
        let forks = all.filter { ![planName, commentName, "environments"].contains($0.key) }
        #expect(forks.count == 1)
        let fork = try #require(forks.first?.value)
        let forkIf = fork["if"]?.string ?? ""
        #expect(forkIf.contains("github.event.pull_request.head.repo.") && !sameRepository(forkIf))
        #expect(commands(fork) == ["provsync validate"])
        #expect(!fork.canonicalText.contains("secrets."))
        #expect(runs(steps(fork)).contains { $0.contains("fork") && $0.contains("GITHUB_STEP_SUMMARY") })
    }

    // MARK: The comment script

    private func commentScript() async throws -> String {
        let workflow = try await parse("provsync-plan.yml")
        let script = jobs(workflow).values.compactMap { step(steps($0), uses: "actions/github-script@")?["with"]?["script"]?.string }
        return try #require(script.first)
    }

    /// Runs the comment script as actions/github-script does, against stand-ins for `github` and `context`, in
    /// `directory` (where `comments/<artifact>/` holds each plan job's result); returns the calls it made.
    private func runCommentScript(
        _ script: String, comments: String, environment: [String: String?], in directory: URL
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
            environment: ProcessRunner.environment(environment)
        )
        try #require(output.status == 0, "the comment script failed: \(output.stderr)")
        return try JSONDecoder().decode(JSONValue.self, from: Data(output.stdout.utf8))
    }

    /// A plan job's result as the plan workflow uploads it, in `comments/<artifact>/`.
    private func writeResult(in directory: URL, artifact: String, environment: String, validate: String, plan: String,
                             files: [String: String]) throws {
        let folder = directory.appendingPathComponent("comments/\(artifact)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let outcome = try JSONEncoder().encode(["environment": environment, "validate": validate, "plan": plan])
        try outcome.write(to: folder.appendingPathComponent("outcome.json"))
        for (name, text) in files {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
    }

    private func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("provsync-comment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    private static let stranger = #"{"id": 1, "body": "<!-- provsync-plan -->\nfake", "user": {"login": "mallory", "type": "User"}}"#
    private static let bot = #"{"id": 2, "body": "<!-- provsync-plan -->\nold", "user": {"login": "github-actions[bot]", "type": "Bot"}}"#

    @Test("without environments the comment is one plan; only the bot's own comment is updated; errors are carried")
    func planCommentWithoutEnvironments() async throws {
        let script = try await commentScript()
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        try writeResult(in: directory, artifact: "provsync-comment-7-default", environment: "", validate: "success",
                        plan: "success", files: ["plan.md": "## provsync plan\n\n**Plan: 1 to upgrade.**\n"])
        let updated = try await runCommentScript(script, comments: "[\(Self.stranger), \(Self.bot)]",
                                                 environment: ["NAMES": #"[""]"#, "ENVIRONMENTS_RESULT": "success"], in: directory)
        #expect(updated[0]?["update"]?["comment_id"] == .integer(2))
        #expect(updated[0]?["update"]?["body"]?.string
                == "<!-- provsync-plan -->\n## provsync plan\n\n**Plan: 1 to upgrade.**\n\n[Run log](https://github.com/o/r/actions/runs/9)\n")

        try FileManager.default.removeItem(at: directory.appendingPathComponent("comments"))
        try writeResult(in: directory, artifact: "provsync-comment-7-default", environment: "", validate: "success",
                        plan: "failure", files: ["plan.err": "::error::hidden\nerror: cannot reach https://api.example.com: connection refused\n"])
        let created = try await runCommentScript(script, comments: "[\(Self.stranger)]",
                                                 environment: ["NAMES": #"[""]"#, "ENVIRONMENTS_RESULT": "success"], in: directory)
        #expect(created[0]?["create"]?["issue_number"] == .integer(7), "a stranger's comment with the marker is left alone")
        let body = created[0]?["create"]?["body"]?.string ?? ""
        #expect(body.hasPrefix("<!-- provsync-plan -->\n## provsync plan failed\n\n`provsync plan` failed:"))
        #expect(body.contains("connection refused") && !body.contains("::error"))
        #expect(body.contains("https://github.com/o/r/actions/runs/9"))

        // provsync.yaml unreadable: no plan job ran, and the comment says which step failed.
        try FileManager.default.removeItem(at: directory.appendingPathComponent("comments"))
        let unlisted = try await runCommentScript(script, comments: "[]", environment: ["NAMES": "", "ENVIRONMENTS_RESULT": "failure"],
                                                  in: directory)
        #expect(unlisted[0]?["create"]?["body"]?.string?.contains("`provsync environments` failed") == true)
    }

    @Test("the plan comment holds one section per environment, in the listed order, failures and lost jobs included")
    func planCommentSections() async throws {
        let script = try await commentScript()
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try writeResult(in: directory, artifact: "provsync-comment-7-staging", environment: "staging", validate: "success",
                        plan: "success", files: ["plan.md": "## provsync plan\n\n**Plan: 1 to upgrade.**\n", "plan.err": "",
                                                 "validate.err": ""])
        try writeResult(in: directory, artifact: "provsync-comment-7-production", environment: "production",
                        validate: "failure", plan: "skipped",
                        files: ["validate.err": "::error file=manifests/production/pg.yaml::bad\nmanifests/production/pg.yaml:3: unknown key\n"])
        let names = #"["staging","production","qa"]"#
        let calls = try await runCommentScript(script, comments: "[\(Self.stranger), \(Self.bot)]",
                                               environment: ["NAMES": names, "ENVIRONMENTS_RESULT": "success"], in: directory)
        #expect(calls.array?.count == 1, "one comment for every environment")
        #expect(calls[0]?["update"]?["comment_id"] == .integer(2))
        let body = calls[0]?["update"]?["body"]?.string ?? ""
        #expect(body.hasPrefix("<!-- provsync-plan -->\n## provsync plan: `staging`\n\n**Plan: 1 to upgrade.**\n\n"))
        let staging = try #require(body.range(of: "## provsync plan: `staging`"))
        let production = try #require(body.range(of: "## provsync plan failed: `production`\n\n`provsync validate` failed:"))
        let qa = try #require(body.range(of: "## provsync plan failed: `qa`\n\nThe job left no result"))
        #expect(staging.lowerBound < production.lowerBound && production.lowerBound < qa.lowerBound)
        #expect(body.contains("unknown key") && !body.contains("::error"))
        #expect(body.components(separatedBy: "<!-- provsync-plan -->").count == 2)
        #expect(body.components(separatedBy: "[Run log](https://github.com/o/r/actions/runs/9)").count == 2)
        #expect(body.hasSuffix("[Run log](https://github.com/o/r/actions/runs/9)\n"))
    }

    @Test("sections too long for one comment together give way, the longest first, to their plan's artifact")
    func planCommentTooLong() async throws {
        let script = try await commentScript()
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let long = "## provsync plan\n\n**Plan: 900 to upgrade.**\n\n" + String(repeating: "| x | y |\n", count: 4_500)
        let longer = long + String(repeating: "| z |\n", count: 100)
        try writeResult(in: directory, artifact: "provsync-comment-7-staging", environment: "staging", validate: "success",
                        plan: "success", files: ["plan.md": long])
        try writeResult(in: directory, artifact: "provsync-comment-7-production", environment: "production",
                        validate: "success", plan: "success", files: ["plan.md": longer])
        let calls = try await runCommentScript(script, comments: "[]",
                                               environment: ["NAMES": #"["staging","production"]"#, "ENVIRONMENTS_RESULT": "success"],
                                               in: directory)
        let body = calls[0]?["create"]?["body"]?.string ?? ""
        #expect(body.count < 65_536)
        #expect(body.contains("## provsync plan: `staging`\n\n**Plan: 900 to upgrade.**"), "the shorter plan stays")
        #expect(body.contains("## provsync plan: `production`\n\nThis section ("))
        #expect(body.contains("`provsync-plan-7-production`"), "the longer one points at its artifact")
    }

    // MARK: Running the workflows

    private func installation(_ name: String, version: String, config: String? = nil) -> String {
        "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: \(name)\n  version: \"\(version)\"\n"
            + (config.map { "  config:\n    DB_PASSWORD: \($0)\n" } ?? "")
    }

    private static let agent = """
        apiVersion: provsync/v1
        kind: AgentProvider
        spec:
          location: ghcr.io/acme/research-agent:1.2.0
          variables:
            OPENAI_API_KEY: ${env:OPENAI_API_KEY}

        """

    /// A GitHub environment's secrets: each API's own credential, the plan key and the manifests' values.
    private func secrets(_ prefix: String) -> [String: String] {
        ["PROVSYNC_STORE_TOKEN": "\(prefix)-store-token", "PROVSYNC_AGENTS_PASSWORD": "\(prefix)-agents-password",
         "PROVSYNC_PLAN_KEY": "\(prefix)-plan-key", "DB_PASSWORD": "\(prefix)-db", "OPENAI_API_KEY": "\(prefix)-openai"]
    }

    /// A sandbox that takes only these secrets' credentials: a bearer token on the store API, the password
    /// on the agent API.
    private func sandboxConfiguration(_ secrets: [String: String]) -> SandboxConfiguration {
        SandboxConfiguration(storeToken: secrets["PROVSYNC_STORE_TOKEN"], agentsPassword: secrets["PROVSYNC_AGENTS_PASSWORD"],
                             pendingSeconds: 0, processingSeconds: 0, manualClock: true)
    }

    /// What the environments job of `workflow` outputs in `checkout`, decoded: the matrix's entries.
    private func listEnvironments(_ workflow: JSONValue, in checkout: URL) async throws -> [String] {
        let run = try await WorkflowJobRunner.run(try environmentsJob(workflow), context: WorkflowContext(environment: "", secrets: [:]),
                                                  in: checkout)
        try #require(!run.failed, "the environments job: \(run.log)")
        let names = try #require(run.outputs["list"]?["names"], "the names output")
        #expect(!names.contains("\n"), "one line")
        let decoded = try JSONDecoder().decode([String].self, from: Data(names.utf8))
        return decoded
    }

    /// Installed versions by `org/name`, and the agent providers' variables by origin, in a sandbox's state.
    private func state(_ sandbox: LiveSandbox) async throws -> (versions: [String: String], config: [String: String],
                                                                variables: [String: String]) {
        let world = try await sandbox.call("GET", "/_sandbox/state").body
        var versions: [String: String] = [:]
        var config: [String: String] = [:]
        if case .object(let installations)? = world?["installations"] {
            for (name, record) in installations {
                versions[name] = record["installedVersion"]?.string
                config[name] = record["config"]?["DB_PASSWORD"]?.string
            }
        }
        var variables: [String: String] = [:]
        if case .object(let providers)? = world?["providers"] {
            for record in providers.values {
                variables[record["origin"]?.string ?? "?"] = record["variables"]?["OPENAI_API_KEY"]?.string
            }
        }
        return (versions, config, variables)
    }

    /// Copies a plan job's `comment/` folder to `comments/<artifact>/` of `directory`, as its upload and the
    /// comment job's download do.
    private func collectResult(_ plan: JSONValue, context: WorkflowContext, from checkout: URL, into directory: URL) throws {
        let upload = try #require(steps(plan).first { $0["with"]?["path"]?.string == "comment/" })
        let artifact = context.substitute(upload["with"]?["name"]?.string ?? "")
        let target = directory.appendingPathComponent("comments/\(artifact)")
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: checkout.appendingPathComponent("comment"), to: target)
    }

    @Test("plan, apply and drift as written run once per environment, each against its own sandbox with its own credentials")
    func workflowsAcrossTwoEnvironments() async throws {
        let origin = try ScratchRepository()
        defer { origin.delete() }
        let planWorkflow = try await parse("provsync-plan.yml")
        let applyWorkflow = try await parse("provsync-apply.yml")
        let driftWorkflow = try await parse("provsync-drift.yml")
        let plan = try matrixJob(planWorkflow).job
        let apply = try matrixJob(applyWorkflow).job
        let drift = try matrixJob(driftWorkflow).job
        let environmentSecrets = ["staging": secrets("staging"), "production": secrets("production")]

        try await withSandbox(sandboxConfiguration(environmentSecrets["staging"]!)) { stagingSandbox in
            try await withSandbox(sandboxConfiguration(environmentSecrets["production"]!)) { productionSandbox in
                let sandboxes = ["staging": stagingSandbox, "production": productionSandbox]
                try origin.write("provsync.yaml", """
                    environments:
                      staging:
                        api: \(stagingSandbox.url)
                        paths: [manifests/base, manifests/staging]
                      production:
                        api: \(productionSandbox.url)
                        paths: [manifests/base, manifests/production]
                        parallelism: 4

                    """)
                try origin.write("manifests/base/postgres.yaml", installation("acme/postgres", version: "1.4.2",
                                                                              config: "${env:DB_PASSWORD}"))
                try origin.write("manifests/base/agent.yaml", Self.agent)
                try origin.write("manifests/staging/redis.yaml", installation("acme/redis", version: "7.2.4"))
                try origin.write("manifests/production/postgres.yaml", installation("acme/postgres", version: "1.5.0"))
                try origin.commitAll()
                try origin.branch("change")
                try origin.checkout("change")
                // The pull request upgrades postgres in the base layer: staging follows, production pins 1.5.0.
                try origin.write("manifests/base/postgres.yaml", installation("acme/postgres", version: "1.5.0",
                                                                              config: "${env:DB_PASSWORD}"))
                try origin.commitAll()
                try origin.checkout("main")

                // Each workflow's environments job gives the matrix.
                for workflow in [planWorkflow, applyWorkflow, driftWorkflow] {
                    let checkout = try origin.clone(named: "list-\(UUID().uuidString)")
                    #expect(try await listEnvironments(workflow, in: checkout.url) == ["staging", "production"])
                }
                let matrix = ["staging", "production"]

                // Apply on main, one job per entry, each with its environment's secrets.
                for environment in matrix {
                    let checkout = try origin.clone(named: "apply-\(environment)")
                    let run = try await WorkflowJobRunner.run(
                        apply, context: WorkflowContext(environment: environment, secrets: environmentSecrets[environment]!),
                        in: checkout.url)
                    #expect(!run.failed && !run.ran.isEmpty, "apply \(environment): \(run.log)")
                }
                let staging = try await state(stagingSandbox)
                let production = try await state(productionSandbox)
                #expect(staging.versions == ["acme/postgres": "1.4.2", "acme/redis": "7.2.4"])
                #expect(production.versions == ["acme/postgres": "1.5.0"], "production has no redis, and its own pin")
                #expect(staging.config["acme/postgres"] == "staging-db" && production.config["acme/postgres"] == "production-db")
                #expect(staging.variables == ["ghcr.io/acme/research-agent": "staging-openai"])
                #expect(production.variables == ["ghcr.io/acme/research-agent": "production-openai"])

                // Drift on main: none in either.
                for environment in matrix {
                    let checkout = try origin.clone(named: "drift-\(environment)")
                    let run = try await WorkflowJobRunner.run(
                        drift, context: WorkflowContext(environment: environment, secrets: environmentSecrets[environment]!),
                        in: checkout.url)
                    #expect(!run.failed, "drift \(environment): \(run.log)")
                    #expect(FileManager.default.fileExists(atPath: checkout.url.appendingPathComponent("drift.xml").path))
                }

                // Plan the pull request, one job per entry; then the comment job gathers both.
                let commentDirectory = try origin.sibling("comment-job")
                var markdown: [String: String] = [:]
                for environment in matrix {
                    let checkout = try origin.clone(named: "plan-\(environment)")
                    try checkout.git("checkout", "-q", "change")
                    let context = WorkflowContext(environment: environment, secrets: environmentSecrets[environment]!)
                    let run = try await WorkflowJobRunner.run(plan, context: context, in: checkout.url)
                    #expect(!run.failed, "plan \(environment): \(run.log)")
                    #expect(run.outcomes["validate"] == "success" && run.outcomes["plan"] == "success")
                    #expect(FileManager.default.fileExists(atPath: checkout.url.appendingPathComponent("plan.json").path))
                    markdown[environment] = try String(contentsOf: checkout.url.appendingPathComponent("plan.md"), encoding: .utf8)
                    try collectResult(plan, context: context, from: checkout.url, into: commentDirectory)
                }
                #expect(markdown["staging"]?.contains("**Plan: 1 to upgrade.**") == true, "\(markdown["staging"] ?? "")")
                #expect(markdown["staging"]?.contains("### Changes made by this pull request") == true)
                #expect(markdown["production"]?.contains("No changes") == true, "\(markdown["production"] ?? "")")
                // The plan of the change only: staging's postgres follows the base layer, production pins its own.
                #expect(markdown["staging"]?.contains("Changed only: 1 object whose manifests this change touches") == true)
                #expect(markdown["production"]?.contains("Changed only: 0 objects whose manifests") == true)
                for text in markdown.values {
                    #expect(text.contains("objects outside the change were not read in detail")
                            && text.contains("provsync drift covers every object"), "\(text)")
                }

                let names = try await listEnvironments(planWorkflow, in: origin.url)
                let calls = try await runCommentScript(
                    try await commentScript(), comments: "[]",
                    environment: ["NAMES": String(decoding: try JSONEncoder().encode(names), as: UTF8.self),
                                  "ENVIRONMENTS_RESULT": "success"],
                    in: commentDirectory)
                let body = calls[0]?["create"]?["body"]?.string ?? ""
                let stagingSection = try #require(body.range(of: "## provsync plan: `staging`\n\n**Plan: 1 to upgrade.**"), "\(body)")
                let productionSection = try #require(body.range(of: "## provsync plan: `production`\n\n"), "\(body)")
                #expect(stagingSection.lowerBound < productionSection.lowerBound)
                for value in environmentSecrets.values.flatMap(\.values) {
                    #expect(!body.contains(value), "no secret in the comment")
                }

                // Neither sandbox was refused a credential, nor asked about the other environment's redis.
                for (environment, sandbox) in sandboxes {
                    let refused = try await sandbox.requests().filter { [401, 403].contains($0.status) }
                    #expect(refused.isEmpty, "\(environment): \(refused.map { "\($0.method) \($0.path)" })")
                }
                #expect(try await productionSandbox.requests().allSatisfy { !$0.path.contains("redis") })
                #expect(try await state(productionSandbox).versions == ["acme/postgres": "1.5.0"], "plan and drift write nothing")

                // A change by hand in staging is drift there only.
                try await stagingSandbox.editInstallation("acme/postgres", ["installedVersion": "1.5.0"])
                for environment in matrix {
                    let checkout = try origin.clone(named: "drift-again-\(environment)")
                    let run = try await WorkflowJobRunner.run(
                        drift, context: WorkflowContext(environment: environment, secrets: environmentSecrets[environment]!),
                        in: checkout.url)
                    let status = run.ran.first { $0.step == "Drift" }?.output.status
                    #expect(status == (environment == "staging" ? 2 : 0), "drift \(environment): \(run.log)")
                }

                // The other environment's secrets open neither API of staging's sandbox.
                let crossed = try origin.clone(named: "drift-crossed")
                let run = try await WorkflowJobRunner.run(
                    drift, context: WorkflowContext(environment: "staging", secrets: environmentSecrets["production"]!),
                    in: crossed.url)
                #expect(run.ran.first { $0.step == "Drift" }?.output.status == 1, "\(run.log)")
            }
        }
    }

    @Test("without environments each workflow runs one job without --env, as before, and a fork only validates")
    func workflowsWithoutEnvironments() async throws {
        let origin = try ScratchRepository()
        defer { origin.delete() }
        let planWorkflow = try await parse("provsync-plan.yml")
        let applyWorkflow = try await parse("provsync-apply.yml")
        let driftWorkflow = try await parse("provsync-drift.yml")
        let repositorySecrets = secrets("repository")
        try await withSandbox(sandboxConfiguration(repositorySecrets)) { sandbox in
            try origin.write("provsync.yaml", "api: \(sandbox.url)\nparallelism: 4\n")
            try origin.write("manifests/pg.yaml", installation("acme/postgres", version: "1.4.2", config: "${env:DB_PASSWORD}"))
            try origin.commitAll()
            try origin.branch("change")
            try origin.checkout("change")
            try origin.write("manifests/pg.yaml", installation("acme/postgres", version: "1.5.0", config: "${env:DB_PASSWORD}"))
            try origin.commitAll()
            try origin.checkout("main")

            for workflow in [planWorkflow, applyWorkflow, driftWorkflow] {
                #expect(try await listEnvironments(workflow, in: origin.url) == [""], "one entry, empty")
            }
            let context = WorkflowContext(environment: "", secrets: repositorySecrets)

            let applied = try await WorkflowJobRunner.run(try matrixJob(applyWorkflow).job, context: context,
                                                          in: try origin.clone(named: "apply").url)
            #expect(!applied.failed, "\(applied.log)")
            #expect(try await state(sandbox).versions == ["acme/postgres": "1.4.2"])

            let driftCheckout = try origin.clone(named: "drift")
            let drifted = try await WorkflowJobRunner.run(try matrixJob(driftWorkflow).job, context: context, in: driftCheckout.url)
            #expect(!drifted.failed, "\(drifted.log)")
            #expect(FileManager.default.fileExists(atPath: driftCheckout.url.appendingPathComponent("drift.xml").path))

            let planCheckout = try origin.clone(named: "plan")
            try planCheckout.git("checkout", "-q", "change")
            let plan = try matrixJob(planWorkflow).job
            let planned = try await WorkflowJobRunner.run(plan, context: context, in: planCheckout.url)
            #expect(!planned.failed, "\(planned.log)")
            let markdown = try String(contentsOf: planCheckout.url.appendingPathComponent("plan.md"), encoding: .utf8)
            #expect(markdown.hasPrefix("## provsync plan\n\n**Plan: 1 to upgrade.**"))
            #expect(markdown.contains("### Changes made by this pull request"))
            #expect(markdown.contains("objects outside the change were not read in detail, and drift there is not shown "
                                      + "(provsync drift covers every object)"), "\(markdown)")
            #expect(FileManager.default.fileExists(atPath: planCheckout.url.appendingPathComponent("plan.json").path))

            let commentDirectory = try origin.sibling("comment-job")
            try collectResult(plan, context: context, from: planCheckout.url, into: commentDirectory)
            #expect(FileManager.default.fileExists(atPath: commentDirectory.appendingPathComponent("comments/provsync-comment-7-default/plan.md").path))
            let calls = try await runCommentScript(try await commentScript(), comments: "[\(Self.bot)]",
                                                   environment: ["NAMES": #"[""]"#, "ENVIRONMENTS_RESULT": "success"],
                                                   in: commentDirectory)
            #expect(calls[0]?["update"]?["body"]?.string?.hasPrefix("<!-- provsync-plan -->\n## provsync plan\n\n**Plan: 1 to upgrade.**") == true)

            // A fork's pull request has no secret at all: validation still works.
            let fork = try #require(jobs(planWorkflow).first { $0.value["if"]?.string?.contains("!=") == true }?.value)
            let forked = try await WorkflowJobRunner.run(fork, context: WorkflowContext(environment: "", secrets: [:]),
                                                         in: planCheckout.url)
            #expect(!forked.failed && forked.ran.count == 2, "\(forked.log)")

            try await sandbox.editInstallation("acme/postgres", ["installedVersion": "1.5.0"])
            let again = try await WorkflowJobRunner.run(try matrixJob(driftWorkflow).job, context: context,
                                                        in: try origin.clone(named: "drift-again").url)
            #expect(again.ran.first { $0.step == "Drift" }?.output.status == 2, "drift fails the job: \(again.log)")
        }
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
}
