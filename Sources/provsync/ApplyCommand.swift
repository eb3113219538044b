import ArgumentParser
import Foundation
import ProvsyncApplying
import ProvsyncEngine
import ProvsyncModel
import ProvsyncReporting
import ProvsyncSupport

/// `provsync apply [PLANFILE]`: plans (or checks a saved plan) and applies it.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Plan (or check a saved plan) and apply it. Exit 0 done, 1 on any failure; "
            + "with --detailed-exitcode 2 when changes were applied.",
        discussion: EnvironmentHelp.discussion(EnvironmentHelp.credentials, EnvironmentHelp.planKey,
                                               EnvironmentHelp.manifests, EnvironmentHelp.noColor, EnvironmentHelp.ci,
                                               EnvironmentHelp.confirmation, EnvironmentHelp.annotations)
    )

    @Argument(help: ArgumentHelp("A plan saved with `provsync plan --out`; it is refused when stale.", valueName: "planfile"))
    var planFile: String?

    @OptionGroup(title: OptionTitles.source) var source: SourceOptions
    @OptionGroup(title: OptionTitles.api) var api: APIOptions
    @OptionGroup(title: OptionTitles.changes) var selection: PlanSelectionOptions
    @OptionGroup(title: OptionTitles.apply) var options: ApplyOptions
    @OptionGroup(title: OptionTitles.output) var output: DocumentFormatOption

    func validate() throws {
        try source.requireOneEnvironment()
        if planFile != nil && selection.isSet {
            throw ValidationError("a saved plan keeps the --target, --allow-replace, --max-deletes and --cascade it was "
                                  + "made with")
        }
    }

    /// True with `--format json`: standard output then holds one document and nothing else.
    private var printsDocument: Bool { output.format == .json }

    func run() async throws {
        let console = Console()
        let saved = try planFile.map { path throws(ExitCode) in try console.readSavedPlan(at: path) }
        let workspace = try await console.open(saved.map(source.request.reading) ?? source.request, api,
                                               printingResults: !printsDocument)
        let code = await apply(in: workspace, saved: saved, console: console)
        await workspace.close()
        if code != 0 { throw ExitCode(code) }
    }

    private func apply(in workspace: Workspace, saved: PlanFile?, console: Console) async -> Int32 {
        let executable: ExecutablePlan
        do throws(EngineError) {
            executable = if let saved, let planFile { try await workspace.plan(saved: saved, at: planFile) } else {
                try await workspace.plan(selection.planOptions()).executable
            }
        } catch {
            console.report(error)
            return 1
        }
        if !printsDocument {
            console.out(PlanTextRenderer(colors: console.usesColor).render(executable.plan))
        }
        guard executable.plan.hasChanges else {
            return printsDocument && !printDocument(executable.plan, ApplyReport(results: []), nil, console: console) ? 1 : 0
        }
        // A plan apply refuses is not worth a question: the applier reports every change as not attempted.
        if !options.dryRun && !options.autoApprove && saved == nil && !executable.plan.hasRefusals {
            switch confirm(executable.plan, console: console) {
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
        if !printsDocument { console.out("") }
        let stop = StopRequest()
        let report = options.dryRun ? await workspace.dryRun(executable) : await whileHandlingInterrupts({
            console.err("Interrupted: no new changes start; waiting for those in flight (interrupt again to quit at once).")
            stop.request()
        }) {
            await workspace.apply(executable, stop: stop)
        }
        if !printsDocument {
            console.out("\n" + ApplyReportRenderer.render(report, dryRun: options.dryRun))
        }
        var waited: InstallationWaiter.Outcome?
        if options.wait && !options.dryRun && !report.isIncomplete {
            let outcome = await workspace.waitForInstallations(after: report, timeout: options.waitTimeout.seconds)
            if !printsDocument {
                var shown = outcome  // the API's names and messages, escaped as text
                shown.failed = outcome.failed.map { (Escaping.text($0.name), Escaping.text($0.message)) }
                shown.unsettled = outcome.unsettled.map(Escaping.text)
                console.out(shown.summary)
            }
            waited = outcome
        }
        if printsDocument && !printDocument(executable.plan, report, waited, console: console) { return 1 }
        if report.isIncomplete || waited?.isSuccess == false { return 1 }
        return options.detailedExitcode && !options.dryRun ? 2 : 0
    }

    /// Asks before writing. With `--format json` the plan and the question go to standard error, which keeps
    /// standard output for the document; without a terminal nobody can answer (nil).
    private func confirm(_ plan: Plan, console: Console) -> Bool? {
        guard printsDocument else { return console.confirm("Apply these changes?") }
        guard console.isInteractive else { return nil }
        console.err(PlanTextRenderer(colors: false).render(plan))
        console.err("\nApply these changes? Only 'yes' is accepted:")
        return readLine()?.trimmingCharacters(in: .whitespaces) == "yes"
    }

    /// Prints the `--format json` document; false (and why on standard error) when it cannot be encoded.
    private func printDocument(_ plan: Plan, _ report: ApplyReport, _ waited: InstallationWaiter.Outcome?,
                               console: Console) -> Bool {
        let wait = waited.map { ApplyJSONRenderer.Wait(ready: $0.ready, failed: $0.failed, unsettled: $0.unsettled) }
        do {
            console.out(try ApplyJSONRenderer.render(plan: plan, report: report, dryRun: options.dryRun, wait: wait))
            return true
        } catch {
            console.err("error: cannot write the apply report as JSON: \(error)")
            return false
        }
    }
}
