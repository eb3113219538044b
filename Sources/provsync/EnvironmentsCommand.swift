import ArgumentParser
import ProvsyncEngine
import ProvsyncModel
import ProvsyncReporting

/// `provsync environments`: lists the environments of `provsync.yaml`, for a CI matrix.
struct EnvironmentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "environments",
        abstract: "List the environments of provsync.yaml (--format json for a CI matrix). Exit 0; 1 when "
            + "provsync.yaml cannot be read."
    )

    @OptionGroup(title: OptionTitles.source) var source: SourceOptions
    @OptionGroup(title: OptionTitles.output) var output: DocumentFormatOption

    func run() throws {
        let console = Console()
        let environments: [EnvironmentConfiguration]
        do throws(EngineError) {
            environments = try console.engine.environments(source.request)
        } catch {
            console.report(error)
            throw ExitCode(1)
        }
        switch output.format {
        case .text: console.out(EnvironmentsRenderer.text(environments))
        case .json: console.out(try EnvironmentsRenderer.json(environments))
        }
    }
}
