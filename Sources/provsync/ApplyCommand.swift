import ArgumentParser
import Foundation
import ProvsyncEngine
import ProvsyncModel
import ProvsyncReporting
import ProvsyncSupport

/// `provsync apply [PLANFILE]`: plans (or checks a saved plan) and applies it.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Plan (or check a saved plan) and apply it. Exit 0 done, 1 on any failure; "
            + "with --detailed-exitcode 2 when changes were applied."
    )

    @Argument(help: ArgumentHelp("A plan saved with `provsync plan --out`; it is refused when stale.", valueName: "planfile"))
    var planFile: String?

    @OptionGroup var source: SourceOptions
    @OptionGroup var api: APIOptions
    @OptionGroup var selection: PlanSelectionOptions

    @Flag(help: "Do not ask for confirmation on a terminal.")
    var autoApprove = false

    @Flag(help: "Do everything but the writes; agent provider changes are checked by the API's preview endpoint.")
    var dryRun = false

    @Flag(help: "Wait for installations to become ready (or report those that fail).")
    var wait = false

    @Option(help: "How long --wait waits, in seconds.")
    var waitTimeout = 600.0

    @Flag(help: "Exit 2 when changes were applied, 0 when there were none, 1 on failure.")
    var detailedExitcode = false

    func validate() throws {
        if planFile != nil && (!selection.targets.isEmpty || selection.allowReplace) {
            throw ValidationError("a saved plan keeps the --target and --allow-replace it was made with")
        }
        if waitTimeout <= 0 { throw ValidationError("--wait-timeout must be positive") }
    }

    func run() async throws {
        let console = Console()
        let saved: PlanFile?
        do throws(EngineError) {
            saved = try planFile.map { path throws(EngineError) in try console.engine.readSavedPlan(at: path) }
        } catch {
            console.report(error)
            throw ExitCode(1)
        }
        let request = saved.map(source.request.reading) ?? source.request
        let workspace = try await console.open(request, api)
        let code = await apply(in: workspace, saved: saved, console: console)
        await workspace.close()
        if code != 0 { throw ExitCode(code) }
    }

    private func apply(in workspace: Workspace, saved: PlanFile?, console: Console) async -> Int32 {
        let executable: ExecutablePlan
        do throws(EngineError) {
            executable = if let saved {
                try await workspace.plan(saved: saved)
            } else {
                try await workspace.plan(PlanOptions(targets: selection.targets, allowReplace: selection.allowReplace))
                    .executable
            }
        } catch {
            console.report(error)
            return 1
        }
        console.out(PlanTextRenderer(colors: console.usesColor).render(executable.plan))
        guard executable.plan.hasChanges else { return 0 }
        if !dryRun && !autoApprove && saved == nil && console.isInteractive {
            console.out("\nApply these changes? Only 'yes' is accepted: ", terminator: "")
            guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                console.err("Apply cancelled; nothing was changed.")
                return 1
            }
        }
        console.out("")
        let report: ApplyReport
        if dryRun {
            report = await workspace.dryRun(executable)
        } else {
            let stop = StopRequest()
            report = await whileHandlingInterrupts({
                console.err("Interrupted: no new changes start; waiting for those in flight (interrupt again to quit at once).")
                stop.request()
            }) {
                await workspace.apply(executable, stop: stop)
            }
        }
        console.out("")
        console.out(ApplyReportRenderer.render(report, dryRun: dryRun))
        if report.isIncomplete { return 1 }
        if wait && !dryRun {
            let waited = await workspace.waitForInstallations(after: report, timeout: waitTimeout)
            console.out(waited.summary)
            if !waited.isSuccess { return 1 }
        }
        return detailedExitcode && !dryRun ? 2 : 0
    }
}
