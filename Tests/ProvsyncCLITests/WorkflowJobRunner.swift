import Foundation
import Testing
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncTestSupport

/// The values a job's `${{ … }}` expressions stand for in one run: its matrix entry and the secrets of its
/// GitHub environment (a secret that is not set expands to "", as on GitHub).
struct WorkflowContext {
    var environment: String
    var secrets: [String: String]
    var pullRequest = "7"
    var baseRef = "main"

    /// The value of one expression (the text between `${{` and `}}`), nil for one this stand-in does not know.
    func value(of expression: String, outcomes: [String: String]) -> String? {
        let text = expression.trimmingCharacters(in: .whitespaces)
        switch text {
        case "matrix.environment": return environment
        case "matrix.environment || 'default'": return environment.isEmpty ? "default" : environment
        case "github.base_ref": return baseRef
        case "github.event.pull_request.number": return pullRequest
        default: break
        }
        let parts = text.split(separator: ".").map(String.init)
        if parts.count == 2, parts[0] == "secrets" { return secrets[parts[1]] ?? "" }
        if parts.count == 3, parts[0] == "steps", parts[2] == "outcome" { return outcomes[parts[1]] ?? "" }
        return nil
    }

    /// `text` with every expression replaced by its value; an expression it does not know is a test failure.
    func substitute(_ text: String, outcomes: [String: String] = [:],
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                Issue.record("an unclosed expression in \(text)", sourceLocation: sourceLocation)
                return result
            }
            let expression = String(rest[open.upperBound..<close.lowerBound])
            if let value = value(of: expression, outcomes: outcomes) {
                result += value
            } else {
                Issue.record("the test does not know the expression ${{\(expression)}}", sourceLocation: sourceLocation)
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}

/// What one job's `run:` steps did.
struct WorkflowJobRun {
    /// Step id → `success`, `failure` or `skipped`, as `steps.<id>.outcome` says.
    var outcomes: [String: String] = [:]
    /// Step id → what it wrote to `$GITHUB_OUTPUT`.
    var outputs: [String: [String: String]] = [:]
    /// Each step that ran, by name (or id), with what it printed.
    var ran: [(step: String, output: ProcessOutput)] = []

    var failed: Bool { ran.contains { $0.output.status != 0 } }

    /// Both output streams of every step, for failure messages.
    var log: String {
        ran.map { "[\($0.step)] exit \($0.output.status)\n\($0.output.stdout)\($0.output.stderr)" }.joined(separator: "\n")
    }
}

/// Runs the `run:` steps of a job of an example workflow as a GitHub runner does, in a checkout: each script
/// with `bash -e` (GitHub's default shell), the job's and the step's `env:` with their expressions evaluated
/// against `context`, `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY` files, and `if:` honoured (a step without one
/// runs only while every earlier step succeeded). `uses:` steps stand for what this machine already has
/// (checkout: the directory; the setup action: provsync on `PATH`) and are passed over. Variables of
/// provsync's that the job does not set are removed from the environment, so only the job's secrets count.
enum WorkflowJobRunner {
    static func run(_ job: JSONValue, context: WorkflowContext, in directory: URL,
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> WorkflowJobRun {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("provsync-job-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let path = ProvsyncBinary.url.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        var base: [String: String?] = ["PATH": path, "GITHUB_ACTIONS": "true", "CI": "true"]
        for name in ProcessInfo.processInfo.environment.keys where name.hasPrefix("PROVSYNC_") {
            base[name] = .some(nil)
        }
        for (name, value) in variables(job["env"], context: context, outcomes: [:], sourceLocation: sourceLocation) {
            base[name] = value
        }

        var run = WorkflowJobRun()
        for (index, step) in (job["steps"]?.array ?? []).enumerated() {
            guard let script = step["run"]?.string else { continue }
            let id = step["id"]?.string
            let name = step["name"]?.string ?? id ?? "step \(index + 1)"
            guard shouldRun(step["if"]?.string, run: run, context: context, sourceLocation: sourceLocation) else {
                if let id { run.outcomes[id] = "skipped" }
                continue
            }
            let outputFile = scratch.appendingPathComponent("output-\(index)")
            FileManager.default.createFile(atPath: outputFile.path, contents: nil)
            let scriptFile = scratch.appendingPathComponent("step-\(index).sh")
            try Data(context.substitute(script, outcomes: run.outcomes, sourceLocation: sourceLocation).utf8).write(to: scriptFile)
            var environment = base
            environment["GITHUB_OUTPUT"] = outputFile.path
            environment["GITHUB_STEP_SUMMARY"] = scratch.appendingPathComponent("summary.md").path
            for (key, value) in variables(step["env"], context: context, outcomes: run.outcomes, sourceLocation: sourceLocation) {
                environment[key] = value
            }
            let output = try await ProcessRunner.run(
                URL(fileURLWithPath: "/bin/bash"), ["-e", scriptFile.path], in: directory,
                environment: ProcessRunner.environment(environment)
            )
            run.ran.append((name, output))
            if let id {
                run.outcomes[id] = output.status == 0 ? "success" : "failure"
                run.outputs[id] = parseOutputs(String(decoding: try Data(contentsOf: outputFile), as: UTF8.self))
            }
        }
        return run
    }

    /// A mapping of `env:` with its expressions evaluated.
    private static func variables(_ mapping: JSONValue?, context: WorkflowContext, outcomes: [String: String],
                                  sourceLocation: Testing.SourceLocation) -> [String: String] {
        guard case .object(let entries)? = mapping else { return [:] }
        var result: [String: String] = [:]
        for (name, value) in entries {
            let text: String
            switch value {
            case .string(let string): text = string
            case .integer(let number): text = String(number)
            case .bool(let flag): text = flag ? "true" : "false"
            default: text = value.canonicalText
            }
            result[name] = context.substitute(text, outcomes: outcomes, sourceLocation: sourceLocation)
        }
        return result
    }

    /// The `if:` forms the examples' `run:` steps use.
    private static func shouldRun(_ condition: String?, run: WorkflowJobRun, context: WorkflowContext,
                                  sourceLocation: Testing.SourceLocation) -> Bool {
        guard let condition else { return !run.failed }
        if condition.contains("always()") || condition.contains("!cancelled()") { return true }
        Issue.record("the test does not know the step condition \(condition)", sourceLocation: sourceLocation)
        return false
    }

    /// `name=value` lines (the examples write no multi-line outputs).
    private static func parseOutputs(_ text: String) -> [String: String] {
        var outputs: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            outputs[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return outputs
    }
}
