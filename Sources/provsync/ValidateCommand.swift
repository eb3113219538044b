import ArgumentParser
import ProvsyncEngine
import ProvsyncManifests
import ProvsyncModel

/// `provsync validate`: checks the manifests; makes no network call.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the manifests; no network. Exit 0 when valid, 1 when not."
    )

    @OptionGroup var source: SourceOptions

    func run() throws {
        let console = Console()
        let loaded: LoadedManifests
        do throws(EngineError) {
            loaded = try console.engine.validate(source.request)
        } catch {
            console.report(error)
            throw ExitCode(1)
        }
        console.report(loaded.diagnostics)
        let errors = loaded.diagnostics.errors
        guard errors.isEmpty else {
            let files = Set(errors.compactMap { $0.location?.file }).count
            let inFiles = files > 0 ? " in \(files) \(files == 1 ? "file" : "files")" : ""
            console.err("validation failed: \(errors.count) \(errors.count == 1 ? "error" : "errors")\(inFiles)")
            throw ExitCode(1)
        }
        console.out(Self.summary(of: loaded.manifestSet))
    }

    /// `12 manifests valid (7 Installation, 5 AgentProvider) at 3f2a1c9`
    static func summary(of set: ManifestSet) -> String {
        let count = set.manifests.count
        let kinds = ManifestKind.allCases.map { "\(set.count(of: $0)) \($0.rawValue)" }.joined(separator: ", ")
        let place = set.source.isWorkingTree ? "in the working tree" : "at \(set.source.shortCommit ?? set.source.ref)"
        return "\(count) \(count == 1 ? "manifest" : "manifests") valid (\(kinds)) \(place)"
    }
}
