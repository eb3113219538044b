import ArgumentParser
import Foundation
import ProvsyncEngine
import ProvsyncModel
import ProvsyncReporting

/// `provsync show PLANFILE`: renders a plan saved with `plan --out`, after checking its seal; no API call.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Render a plan saved with `provsync plan --out` (no API call). Exit 0; 1 when the file cannot be "
            + "read or was changed after it was saved.",
        discussion: """
            The seal is checked with the key plan had: PROVSYNC_PLAN_KEY, else both APIs' credentials (below). \
            Without that key the plan is still shown, with a warning on standard error that it was not checked \
            (apply always checks it).

            \(EnvironmentHelp.discussion(EnvironmentHelp.planKey, EnvironmentHelp.credentials, EnvironmentHelp.noColor))
            """
    )

    @Argument(help: ArgumentHelp("A plan saved with `provsync plan --out`.", valueName: "planfile"))
    var planFile: String

    @Option(help: "Output format.")
    var format: PlanFormat = .text

    func run() throws {
        let console = Console()
        guard let data = FileManager.default.contents(atPath: planFile) else {
            console.report(EngineError.unreadableSavedPlan(path: planFile))
            throw ExitCode(1)
        }
        let plan: Plan
        do throws(SavedPlanError) {
            let (file, warning) = try Self.read(data, keyMaterial: console.engine.planKeyMaterial, path: planFile)
            plan = try Plan(rendering: file)
            if let warning { console.err("warning: " + warning) }
        } catch {
            console.report(EngineError.savedPlan(path: planFile, reason: error.description))
            throw ExitCode(1)
        }
        switch format {
        case .text: console.out(PlanTextRenderer(colors: console.usesColor).render(plan))
        case .json: console.out(try PlanJSONRenderer.render(plan))
        case .markdown: console.out(PlanMarkdownRenderer().render(plan))
        }
    }

    /// The saved plan in `data`, and a warning when its seal could not be checked, or only as a checksum.
    /// It is refused (thrown) when it is no saved plan, or its seal shows it was changed.
    private static func read(_ data: Data, keyMaterial material: PlanKeyMaterial?, path: String)
        throws(SavedPlanError) -> (PlanFile, warning: String?) {
        let keyless = "\(path) was saved without a key, so its seal is a checksum: it shows an accidental edit, not a "
            + "deliberate one"
        do throws(SavedPlanError) {
            let file = try PlanFile.readSaved(data, keyMaterial: material)
            return (file, file.saved?.keySource == PlanFile.Saved.noKey ? keyless : nil)
        } catch where error == .changed {
            throw error
        } catch {
            // What is left once the file reads as a saved plan: its seal is under other key material than here.
            guard let file = try? JSONDecoder().decode(PlanFile.self, from: data), let saved = file.saved,
                  file.formatVersion == Plan.savedFormatVersion else { throw error }
            if saved.keySource == PlanFile.Saved.noKey {
                try file.checkSeal(keyMaterial: nil)
                return (file, keyless + "; apply refuses it here, where a key is set")
            }
            let here = material.map { "the key here comes from \($0.source) and is another one" }
                ?? "neither PROVSYNC_PLAN_KEY nor API credentials are set here"
            return (file, "the seal of \(path) cannot be checked: it was sealed with a key from "
                        + "\(Escaping.text(saved.keySource)), and \(here); the plan is shown unchecked (apply checks the "
                        + "seal before any write). Set PROVSYNC_PLAN_KEY as plan had it to check it")
        }
    }
}
