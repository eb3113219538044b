import ArgumentParser
import Foundation
import ProvsyncApplying
import ProvsyncModel
import ProvsyncReporting

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
        let saved = try planFile.map { try readSavedPlan($0, console: console) }
        var request = source.request
        if let saved, let commit = saved.commit, !saved.isWorkingTree {
            request.ref = commit
        }
        let session: Session
        do {
            session = try await Session.open(request, api: api, console: console)
        } catch {
            throw ExitCode(1)
        }
        let code = await apply(in: session, saved: saved, console: console)
        await session.close()
        if code != 0 { throw ExitCode(code) }
    }

    private func apply(in session: Session, saved: SavedPlan?, console: Console) async -> Int32 {
        let executable: ExecutablePlan
        do {
            executable = try await session.plan(
                targets: saved?.targets ?? selection.targets,
                allowReplace: saved?.allowReplace ?? selection.allowReplace,
                salt: saved?.salt ?? Session.randomSalt(),
                recordsDigests: saved != nil
            )
        } catch {
            return 1
        }
        if let saved, let reason = saved.staleness(comparedWith: executable.plan) {
            console.err("error: saved plan is stale: \(reason); nothing was applied. Run `provsync plan --out` again.")
            return 1
        }
        let renderer = PlanTextRenderer(colors: console.isTerminal && console.environment["NO_COLOR"] == nil)
        console.out(renderer.render(executable.plan))
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
            report = await DryRun(reader: session.reader).check(executable, parallelism: session.parallelism)
        } else {
            let stop = StopRequest()
            let applier = Applier(reader: session.reader, writer: session.writer, parallelism: session.parallelism,
                                  observer: ProgressPrinter(console: console), stop: stop)
            report = await whileHandlingInterrupts({
                console.err("Interrupted: no new changes start; waiting for those in flight (interrupt again to quit at once).")
                stop.request()
            }) {
                await applier.apply(executable)
            }
        }
        console.out("")
        console.out(ApplyReportRenderer.render(report, dryRun: dryRun))
        if report.isIncomplete { return 1 }
        if wait && !dryRun {
            let waited = await InstallationWaiter(reader: session.reader, timeout: waitTimeout)
                .wait(for: report.applied.filter { $0.address.kind == .installation }.map(\.address))
            console.out(waited.summary)
            if !waited.isSuccess { return 1 }
        }
        return detailedExitcode && !dryRun ? 2 : 0
    }

    private func readSavedPlan(_ path: String, console: Console) throws -> SavedPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            console.err("error: cannot read the saved plan \(path)")
            throw ExitCode(1)
        }
        do {
            return try SavedPlan.read(data)
        } catch {
            console.err("error: \(path): \(error)")
            throw ExitCode(1)
        }
    }
}

/// Prints each change's result as it finishes.
struct ProgressPrinter: ApplyObserver {
    let console: Console

    func finished(_ result: ApplyResult) async {
        console.out(ApplyReportRenderer.line(for: result))
    }
}
