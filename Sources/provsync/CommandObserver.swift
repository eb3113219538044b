import ArgumentParser
import Foundation
import ProvsyncApplying
import ProvsyncEngine
import ProvsyncLive
import ProvsyncManifests
import ProvsyncModel
import ProvsyncReporting

/// Draws the engine's progress: each applied change's result as it finishes, a wait's progress and the
/// requests being retried on standard error (a live line on a terminal, see `ProgressLine`), and with
/// `PROVSYNC_TIMINGS` set the CPU and wall time of the local phases (`timing: NAME cpu 0.12 s, wall 0.13 s`),
/// for the benchmark.
struct CommandObserver: EngineObserver {
    let console: Console
    /// False when standard output carries one document (`--format json`): results are then not printed
    /// one by one.
    var printsResults = true

    var timesPhases: Bool { console.environment["PROVSYNC_TIMINGS"] != nil }

    func phaseFinished(_ timing: PhaseTiming) {
        console.err("timing: \(timing.name) cpu \(String(format: "%.3f", timing.cpuSeconds)) s, "
                    + "wall \(String(format: "%.3f", timing.wallSeconds)) s")
    }

    func finished(_ result: ApplyResult) async {
        guard printsResults else { return }
        console.result(ApplyReportRenderer.line(for: result))
    }

    func waitProgressed(_ progress: InstallationWaiter.Progress) {
        console.showProgress(progress.line)
    }

    func retrying(_ notice: RetryNotice) {
        console.showRetry(notice)
    }
}

extension Console {
    /// The engine for a command: this process's environment, progress drawn here.
    var engine: Engine { engine(printingResults: true) }

    /// The engine for a command whose standard output is one document when `printingResults` is false.
    func engine(printingResults: Bool) -> Engine {
        Engine(environment: environment, observer: CommandObserver(console: self, printsResults: printingResults))
    }

    /// Prints what stopped a flow (its diagnostics, then its summary line, which may quote the API) on
    /// standard error.
    func report(_ error: EngineError) {
        report(error.diagnostics)
        if let summary = error.summary {
            err(Escaping.text(summary))
        }
    }

    /// Opens a workspace, printing the manifests' warnings, or the error that stopped it. From then on the
    /// workspace's secrets are hidden from everything this console writes.
    func open(_ request: ManifestRequest, _ api: APIOptions, printingResults: Bool = true) async throws(ExitCode)
        -> Workspace {
        do throws(EngineError) {
            let workspace = try await engine(printingResults: printingResults).open(request, connection: api.request)
            hide(workspace.secrets)
            report(workspace.warnings)
            ProcessLifetime.keep(workspace)
            return workspace
        } catch {
            report(error)
            throw ExitCode(1)
        }
    }

    /// A plan saved with `plan --out`, or the error saying why it cannot be used.
    func readSavedPlan(at path: String) throws(ExitCode) -> PlanFile {
        do throws(EngineError) {
            return try engine.readSavedPlan(at: path)
        } catch {
            report(error)
            throw ExitCode(1)
        }
    }

    /// Asks `question` on the terminal; true only for `yes`. Without a terminal nobody can answer: the
    /// caller is told so (nil), and must refuse rather than go ahead, as Terraform does.
    func confirm(_ question: String) -> Bool? {
        guard isInteractive else { return nil }
        out("\n\(question) Only 'yes' is accepted: ", terminator: "")
        return readLine()?.trimmingCharacters(in: .whitespaces) == "yes"
    }

    /// Writes `text` to `path` as it is (a saved plan, which holds no secret), or says why it could not.
    func write(_ text: String, to path: String, what: String) throws(ExitCode) {
        do {
            try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            err("error: cannot write the \(what) to \(path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }

    /// Writes a report (drift `--out`) to `path` with the run's secrets hidden.
    func writeReport(_ text: String, to path: String) throws(ExitCode) {
        try write(redacted(text), to: path, what: "report")
    }
}
