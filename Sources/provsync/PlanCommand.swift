import ArgumentParser
import ProvsyncEngine
import ProvsyncModel
import ProvsyncReporting

/// `provsync plan`: prints what apply would do.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would do. Exit 0; 1 on error or when apply would refuse a change; with "
            + "--detailed-exitcode 0 no changes, 2 changes.",
        discussion: EnvironmentHelp.discussion(EnvironmentHelp.credentials, EnvironmentHelp.planKey,
                                               EnvironmentHelp.manifests, EnvironmentHelp.noColor, EnvironmentHelp.ci,
                                               EnvironmentHelp.annotations, EnvironmentHelp.stepSummary)
    )

    @OptionGroup(title: OptionTitles.source) var source: SourceOptions
    @OptionGroup(title: OptionTitles.api) var api: APIOptions
    @OptionGroup(title: OptionTitles.changes) var selection: PlanSelectionOptions
    @OptionGroup(title: OptionTitles.changes) var comparison: BaseOption
    @OptionGroup(title: OptionTitles.output) var output: PlanOutputOptions

    func validate() throws {
        try source.requireOneEnvironment()
    }

    func run() async throws {
        let console = Console()
        var request = source.request
        // The base is read after the ref: what is the same at both is then taken from the ref's reading.
        request.keepsMemo = comparison.base != nil
        let workspace = try await console.open(request, api)
        let result: PlanResult
        do throws(EngineError) {
            var options = selection.planOptions(recordsDigests: output.out != nil, base: comparison.base)
            options.changedOnly = comparison.changedOnly
            result = try await workspace.plan(options)
        } catch {
            await workspace.close()
            console.report(error)
            throw ExitCode(1)
        }
        await workspace.close()
        console.report(result.warnings + (output.out == nil ? [] : workspace.savedPlanWarnings))
        let plan = result.plan
        switch output.format {
        case .text:
            console.out(PlanTextRenderer(colors: console.usesColor).render(plan))
        case .json:
            console.out(try PlanJSONRenderer.render(plan))
        case .markdown:
            console.out(PlanMarkdownRenderer().render(plan))
        }
        console.appendStepSummary(PlanMarkdownRenderer().render(plan))
        if let out = output.out {
            let saved = PlanFile(plan, saved: selection.saved)
            try console.write(try saved.encoded(), to: out, what: "plan")
        }
        // A change apply would refuse, or a plan refused as a whole, makes the pull request's check red before merge.
        if plan.hasRefusals {
            throw ExitCode(1)
        }
        if output.detailedExitcode && plan.hasChanges {
            throw ExitCode(2)
        }
    }
}

/// `plan --base`: the pull request's base, planned too.
struct BaseOption: ParsableArguments {
    @Option(help: ArgumentHelp("Also plan the manifests at this ref (the pull request's base) against the same live "
                               + "state, and mark each change as introduced here or pre-existing.", valueName: "ref"))
    var base: String?

    @Flag(help: ArgumentHelp("With --base: plan only the objects whose manifests differ between the base and the ref "
                             + "(added, changed or removed), and read only their details; drift elsewhere is left "
                             + "to provsync drift. With --out the saved plan keeps this scope: `apply FILE` reads, "
                             + "checks and applies only these objects."))
    var changedOnly = false

    func validate() throws {
        if changedOnly && base == nil {
            throw ValidationError("--changed-only compares with the pull request's base: give --base REF")
        }
    }
}

/// What plan prints and saves, and how it exits.
struct PlanOutputOptions: ParsableArguments {
    @Option(help: "Output format.")
    var format: PlanFormat = .text

    @Option(help: ArgumentHelp("Also save the plan to this file, for `provsync apply FILE` and `provsync show FILE`.",
                               valueName: "file"))
    var out: String?

    @Flag(help: "Exit 2 when there are changes, 0 when there are none, 1 on error.")
    var detailedExitcode = false
}
