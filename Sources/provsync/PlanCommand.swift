import ArgumentParser
import Foundation
import ProvsyncModel
import ProvsyncReporting

/// `provsync plan`: prints what apply would do.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would do. Exit 0; with --detailed-exitcode 0 no changes, 1 error, 2 changes."
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
        let plan: Plan
        do {
            let session = try await Session.open(source.request, api: api, console: console)
            let planned: Plan?
            if let base {
                planned = try? await session.plan(targets: selection.targets, allowReplace: selection.allowReplace,
                                                  base: base, request: source.request, recordsDigests: out != nil)
            } else {
                planned = try? await session.plan(targets: selection.targets, allowReplace: selection.allowReplace,
                                                  recordsDigests: out != nil).plan
            }
            await session.close()
            guard let planned else { throw ExitCode(1) }
            plan = planned
        } catch is Session.Failure {
            throw ExitCode(1)
        }
        switch format {
        case .text:
            let colors = console.isTerminal && console.environment["NO_COLOR"] == nil
            console.out(PlanTextRenderer(colors: colors).render(plan))
        case .json:
            console.out(try PlanJSONRenderer.render(plan))
        case .markdown:
            console.out(PlanMarkdownRenderer().render(plan))
        }
        console.appendStepSummary(PlanMarkdownRenderer().render(plan))
        if let out {
            do {
                try Data((try PlanJSONRenderer.renderSaved(plan, targets: selection.targets, allowReplace: selection.allowReplace) + "\n").utf8).write(to: URL(fileURLWithPath: out))
            } catch {
                console.err("error: cannot write the plan to \(out): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        if detailedExitcode && plan.hasChanges {
            throw ExitCode(2)
        }
    }
}
