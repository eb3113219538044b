import ArgumentParser
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
    @OptionGroup var options: ApplyOptions

    func validate() throws {
        if planFile != nil && (!selection.targets.isEmpty || selection.allowReplace) {
            throw ValidationError("a saved plan keeps the --target and --allow-replace it was made with")
        }
    }

    func run() async throws {
        let console = Console()
        let saved = try planFile.map { path throws(ExitCode) in try console.readSavedPlan(at: path) }
        let workspace = try await console.open(saved.map(source.request.reading) ?? source.request, api)
        let code = await apply(in: workspace, saved: saved, console: console)
        await workspace.close()
        if code != 0 { throw ExitCode(code) }
    }

    private func apply(in workspace: Workspace, saved: PlanFile?, console: Console) async -> Int32 {
        let executable: ExecutablePlan
        do throws(EngineError) {
            executable = if let saved, let planFile { try await workspace.plan(saved: saved, at: planFile) } else {
                try await workspace.plan(PlanOptions(targets: selection.targets, allowReplace: selection.allowReplace))
                    .executable
            }
        } catch {
            console.report(error)
            return 1
        }
        console.out(PlanTextRenderer(colors: console.usesColor).render(executable.plan))
        guard executable.plan.hasChanges else { return 0 }
        if !options.dryRun && !options.autoApprove && saved == nil {
            switch console.confirm("Apply these changes?") {
            case true?: break
            case false?:
                console.err("Apply cancelled; nothing was changed.")
                return 1
            case nil:
                console.err("error: apply asks for confirmation, and there is no terminal to ask on: pass --auto-approve "
                            + "to apply without asking (as CI jobs do), or --dry-run to check; nothing was changed.")
                return 1
            }
        }
        console.out("")
        let stop = StopRequest()
        let report = options.dryRun ? await workspace.dryRun(executable) : await whileHandlingInterrupts({
            console.err("Interrupted: no new changes start; waiting for those in flight (interrupt again to quit at once).")
            stop.request()
        }) {
            await workspace.apply(executable, stop: stop)
        }
        console.out("\n" + ApplyReportRenderer.render(report, dryRun: options.dryRun))
        if report.isIncomplete { return 1 }
        if options.wait && !options.dryRun {
            let waited = await workspace.waitForInstallations(after: report, timeout: options.waitTimeout.seconds)
            var shown = waited  // the API's names and messages, escaped as text
            shown.failed = waited.failed.map { (Escaping.text($0.name), Escaping.text($0.message)) }
            shown.unsettled = waited.unsettled.map(Escaping.text)
            console.out(shown.summary)
            if !waited.isSuccess { return 1 }
        }
        return options.detailedExitcode && !options.dryRun ? 2 : 0
    }
}
