import ArgumentParser
import ProvsyncEngine
import ProvsyncModel
import ProvsyncReporting

/// `provsync plan`: prints what apply would do.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would do. Exit 0; 1 on error or when apply would refuse a change; with "
            + "--detailed-exitcode 0 no changes, 2 changes."
    )

    @OptionGroup var source: SourceOptions
    @OptionGroup var api: APIOptions
    @OptionGroup var selection: PlanSelectionOptions

    @Option(help: "Output format.")
    var format: PlanFormat = .text

    @Option(help: ArgumentHelp("Also save the plan to this file, for `provsync apply FILE`.", valueName: "file"))
    var out: String?

    @Flag(help: "Exit 2 when there are changes, 0 when there are none, 1 on error.")
    var detailedExitcode = false

    @Option(help: ArgumentHelp("Also plan the manifests at this ref (the pull request's base) against the same live "
                               + "state, and mark each change as introduced here or pre-existing.", valueName: "ref"))
    var base: String?

    func run() async throws {
        let console = Console()
        let workspace = try await console.open(source.request, api)
        let result: PlanResult
        do throws(EngineError) {
            result = try await workspace.plan(PlanOptions(targets: selection.targets, allowReplace: selection.allowReplace,
                                                          recordsDigests: out != nil, base: base))
        } catch {
            await workspace.close()
            console.report(error)
            throw ExitCode(1)
        }
        await workspace.close()
        console.report(result.warnings + (out == nil ? [] : workspace.savedPlanWarnings))
        let plan = result.plan
        switch format {
        case .text:
            console.out(PlanTextRenderer(colors: console.usesColor).render(plan))
        case .json:
            console.out(try PlanJSONRenderer.render(plan))
        case .markdown:
            console.out(PlanMarkdownRenderer().render(plan))
        }
        console.appendStepSummary(PlanMarkdownRenderer().render(plan))
        if let out {
            let saved = PlanFile(plan, saved: (selection.targets, selection.allowReplace))
            try console.write(try saved.encoded(), to: out, what: "plan")
        }
        // A change apply would refuse makes the pull request's check red before merge.
        if plan.changes.contains(where: { $0.refusal != nil }) {
            throw ExitCode(1)
        }
        if detailedExitcode && plan.hasChanges {
            throw ExitCode(2)
        }
    }
}
