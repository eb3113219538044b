import ArgumentParser
import ProvsyncEngine
import ProvsyncModel
import ProvsyncPlanning
import ProvsyncReporting

/// `provsync drift`: a read-only report of live state against the manifests.
struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Report live state against the manifests (read-only). Exit 0 in sync, 2 drift, 1 error.",
        discussion: EnvironmentHelp.discussion(EnvironmentHelp.credentials, EnvironmentHelp.manifests, EnvironmentHelp.ci,
                                               EnvironmentHelp.annotations, EnvironmentHelp.stepSummary)
    )

    @OptionGroup(title: OptionTitles.source) var source: SourceOptions
    @OptionGroup(title: OptionTitles.api) var api: APIOptions
    @OptionGroup(title: OptionTitles.report) var options: DriftReportOptions

    func validate() throws {
        try source.requireOneEnvironment()
    }

    func run() async throws {
        let console = Console()
        let workspace = try await console.open(source.request, api)
        let report: DriftReport
        do throws(EngineError) {
            report = try await workspace.drift(ignoring: options.ignore.compactMap(IgnoreRule.init))
        } catch {
            await workspace.close()
            console.report(error)
            throw ExitCode(1)
        }
        await workspace.close()
        console.report(report.warnings)
        let rendered = try render(report, as: options.format)
        console.appendStepSummary(DriftRenderer.markdown(report))
        if let out = options.out {
            try console.writeReport(rendered, to: out)
            console.out(DriftRenderer.text(report))
        } else {
            console.out(rendered)
        }
        if !report.inSync { throw ExitCode(2) }
    }

    private func render(_ report: DriftReport, as format: DriftFormat) throws -> String {
        switch format {
        case .text: DriftRenderer.text(report)
        case .json: try DriftRenderer.json(report)
        case .markdown: DriftRenderer.markdown(report)
        case .junit: DriftRenderer.junit(report)
        }
    }
}

/// What drift reports and where.
struct DriftReportOptions: ParsableArguments {
    @Option(name: .customLong("ignore"), help: ArgumentHelp(
        "Do not report drift at ADDRESS_PATTERN:PATH for this run, e.g. installation/*:config.LOG_LEVEL (repeatable).",
        valueName: "pattern"))
    var ignore: [String] = []

    @Option(help: "Report format.")
    var format: DriftFormat = .text

    @Option(help: ArgumentHelp("Write the report (in --format) to this file; text still goes to standard output.",
                               valueName: "file"))
    var out: String?

    func validate() throws {
        for rule in ignore where IgnoreRule(parsing: rule) == nil {
            throw ValidationError("--ignore takes ADDRESS_PATTERN:PATH, e.g. installation/*:config.LOG_LEVEL; got \(rule)")
        }
    }
}
