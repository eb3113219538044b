import ArgumentParser
import Foundation
import ProvsyncEngine
import ProvsyncManifests
import ProvsyncModel
import ProvsyncReporting

/// Draws the engine's progress: each applied change's result as it finishes, and with `PROVSYNC_TIMINGS`
/// set the CPU and wall time of the local phases on standard error (`timing: NAME cpu 0.12 s, wall 0.13 s`),
/// for the benchmark.
struct CommandObserver: EngineObserver {
    let console: Console

    var timesPhases: Bool { console.environment["PROVSYNC_TIMINGS"] != nil }

    func phaseFinished(_ timing: PhaseTiming) {
        console.err("timing: \(timing.name) cpu \(String(format: "%.3f", timing.cpuSeconds)) s, "
                    + "wall \(String(format: "%.3f", timing.wallSeconds)) s")
    }

    func finished(_ result: ApplyResult) async {
        console.out(ApplyReportRenderer.line(for: result))
    }
}

extension Console {
    /// The engine for a command: this process's environment, progress drawn here.
    var engine: Engine { Engine(environment: environment, observer: CommandObserver(console: self)) }

    /// Prints what stopped a flow (its diagnostics, then its summary line) on standard error.
    func report(_ error: EngineError) {
        report(error.diagnostics)
        if let summary = error.summary {
            err(summary)
        }
    }

    /// Opens a workspace, printing the manifests' warnings, or the error that stopped it.
    func open(_ request: ManifestRequest, _ api: APIOptions) async throws(ExitCode) -> Workspace {
        do throws(EngineError) {
            let workspace = try await engine.open(request, connection: api.request)
            report(workspace.warnings)
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

    /// Asks `question` when a person can answer; true only for `yes`. Without a terminal it does not ask.
    func confirm(_ question: String) -> Bool {
        guard isInteractive else { return true }
        out("\n\(question) Only 'yes' is accepted: ", terminator: "")
        return readLine()?.trimmingCharacters(in: .whitespaces) == "yes"
    }

    /// Writes `text` to `path`, or says why it could not.
    func write(_ text: String, to path: String, what: String) throws(ExitCode) {
        do {
            try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            err("error: cannot write the \(what) to \(path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }
}
