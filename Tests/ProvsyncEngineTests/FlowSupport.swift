import Foundation
import ProvsyncEngine
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncManifests
import ProvsyncModel
import ProvsyncReporting

/// The command line's flows in process, for the tests that moved here from the CLI tests: each does what
/// its command does, with the harness's connection.
extension EngineHarness {
    /// The harness's connection with `--parallelism` and the command line's attempt counts
    /// (`RetryPolicy.standard`), at the harness's fast, recorded waits.
    func connection(parallelism: Int) -> ConnectionRequest {
        var options = sandbox.options()
        options.retry = RetryPolicy(maxAttempts: RetryPolicy.standard.maxAttempts,
                                    maxReadAttempts: RetryPolicy.standard.maxReadAttempts,
                                    baseDelay: options.retry.baseDelay, maxDelay: options.retry.maxDelay)
        return ConnectionRequest(apiURL: sandbox.url, parallelism: parallelism, clientOptions: options)
    }

    /// Opens a workspace for `request` over `connection`, runs `body` in it and closes it.
    func inWorkspace<Value>(_ request: ManifestRequest, connection: ConnectionRequest,
                            _ body: (Workspace) async throws -> Value) async throws -> Value {
        let workspace = try await engine.open(request, connection: connection)
        do {
            let value = try await body(workspace)
            await workspace.close()
            return value
        } catch {
            await workspace.close()
            throw error
        }
    }

    /// Plans and applies over `connection`; returns the plan and the report.
    @discardableResult
    func apply(_ options: PlanOptions = PlanOptions(),
               connection: ConnectionRequest) async throws -> (plan: Plan, report: ApplyReport) {
        try await inWorkspace(request(), connection: connection) { workspace in
            let executable = try await workspace.plan(options).executable
            return (executable.plan, await workspace.apply(executable))
        }
    }

    /// Plans and checks the plan with reads only (`apply --dry-run`); returns the plan and the report.
    func dryRun() async throws -> (plan: Plan, report: ApplyReport) {
        try await inWorkspace { workspace in
            let executable = try await workspace.plan(PlanOptions()).executable
            return (executable.plan, await workspace.dryRun(executable))
        }
    }

    /// `plan --out FILE`: writes the saved plan of HEAD, made with `options`, to `path` as the command does;
    /// returns its text.
    @discardableResult
    func savePlan(to path: String, options: SavedPlanOptions = SavedPlanOptions()) async throws -> String {
        let plan = try await plan(PlanOptions(targets: options.targets, allowReplace: options.allowReplace,
                                              recordsDigests: true, maxDeletes: options.maxDeletes,
                                              cascade: options.cascade))
        let text = try PlanFile(plan, saved: options).encoded() + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return text
    }

    /// `apply FILE`: reads the saved plan, opens the manifests it was made from, checks it against live state
    /// (a stale plan throws `EngineError.stalePlan`) and applies it; returns the plan and the report.
    func applySaved(at path: String) async throws -> (plan: Plan, report: ApplyReport) {
        let saved = try engine.readSavedPlan(at: path)
        return try await inWorkspace(request().reading(saved), connection: connection) { workspace in
            let executable = try await workspace.plan(saved: saved)
            return (executable.plan, await workspace.apply(executable))
        }
    }
}

/// What `provsync apply` prints on standard output: the plan, each change's line as it finishes (a real
/// apply only; here in address order), then the report.
func applyOutput(_ plan: Plan, _ report: ApplyReport, dryRun: Bool = false) -> String {
    var lines = [PlanTextRenderer(colors: false).render(plan), ""]
    if !dryRun { lines += report.results.map(ApplyReportRenderer.line(for:)) }
    lines += ["", ApplyReportRenderer.render(report, dryRun: dryRun)]
    return lines.joined(separator: "\n")
}

/// What a command prints on standard error for `error`: its diagnostics, then its summary, line by line.
func stderrLines(_ error: EngineError) -> [String] {
    (error.diagnostics.map(\.description) + [error.summary].compactMap { $0 })
        .joined(separator: "\n").split(separator: "\n").map(String.init)
}

/// The engine error `body` throws, or nil when it succeeds (other errors are rethrown).
func engineError<Value>(_ body: () async throws -> Value) async throws -> EngineError? {
    do {
        _ = try await body()
        return nil
    } catch let error as EngineError {
        return error
    }
}

/// The last line of `text`, as a test of a command's `stdoutLines.last` reads it.
func lastLine(_ text: String) -> String? {
    text.split(separator: "\n").last.map(String.init)
}
