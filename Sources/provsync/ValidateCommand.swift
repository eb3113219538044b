import ArgumentParser
import Foundation
import ProvsyncEngine
import ProvsyncManifests
import ProvsyncModel
import ProvsyncReporting

/// `provsync validate`: checks the manifests; makes no network call.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the manifests; no network. Exit 0 when valid, 1 when not.",
        discussion: EnvironmentHelp.discussion(EnvironmentHelp.annotations)
    )

    @OptionGroup(title: OptionTitles.source) var source: SourceOptions
    @OptionGroup(title: OptionTitles.output) var output: DocumentFormatOption

    func run() throws {
        let console = Console()
        let loads: [LoadedManifests]
        do throws(EngineError) {
            loads = try console.engine.validate(source.request, environments: source.environments)
        } catch {
            guard output.format == .json else {
                console.report(error)
                throw ExitCode(1)
            }
            var diagnostics = error.diagnostics
            if !diagnostics.hasErrors { diagnostics.append(.error(error.description)) }
            try printDocument(manifests: 0, diagnostics: diagnostics, console: console)
            throw ExitCode(1)
        }
        // Environments share layers: a problem in a shared file is reported once.
        var seen: Set<String> = []
        let diagnostics = loads.flatMap(\.diagnostics).filter { seen.insert($0.description).inserted }
        if output.format == .json {
            try printDocument(manifests: loads.map(\.manifestSet.manifests.count).reduce(0, +), diagnostics: diagnostics,
                              console: console)
            if diagnostics.hasErrors { throw ExitCode(1) }
            return
        }
        console.report(diagnostics)
        let errors = diagnostics.errors
        guard errors.isEmpty else {
            let files = Set(errors.compactMap { $0.location?.file }).count
            let inFiles = files > 0 ? " in \(files) \(files == 1 ? "file" : "files")" : ""
            console.err("validation failed: \(errors.count) \(errors.count == 1 ? "error" : "errors")\(inFiles)")
            throw ExitCode(1)
        }
        for loaded in loads {
            console.out((loaded.environment.map { "\($0): " } ?? "") + Self.summary(of: loaded.manifestSet))
        }
    }

    /// The `--format json` document on standard output; under GitHub Actions the annotations on standard error.
    private func printDocument(manifests: Int, diagnostics: [Diagnostic], console: Console) throws {
        console.annotateOnStandardError(diagnostics)
        console.out(try ValidationJSONRenderer.render(manifests: manifests, diagnostics: diagnostics))
    }

    /// `12 manifests valid (7 Installation, 5 AgentProvider) at 3f2a1c9`
    static func summary(of set: ManifestSet) -> String {
        let count = set.manifests.count
        let kinds = ManifestKind.allCases.map { "\(set.count(of: $0)) \($0.rawValue)" }.joined(separator: ", ")
        let place = set.source.isWorkingTree ? "in the working tree" : "at \(set.source.shortCommit ?? set.source.ref)"
        return "\(count) \(count == 1 ? "manifest" : "manifests") valid (\(kinds)) \(place)"
    }
}

extension Console {
    /// Under GitHub Actions, each diagnostic as a workflow annotation on standard error (the runner reads
    /// workflow commands there too), for a command whose standard output is one document. Guarded as
    /// `annotate(_:)` guards them.
    func annotateOnStandardError(_ diagnostics: [Diagnostic]) {
        guard isGitHubActions else { return }
        for diagnostic in diagnostics {
            let line = Escaping.output(redacted(GitHubAnnotation.line(for: diagnostic)), colors: false, command: true)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
