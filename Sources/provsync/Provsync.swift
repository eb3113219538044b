import ArgumentParser
import CMalloc

/// The `provsync` command line: its subcommands, and exit codes as the spec gives them.
@main
struct Provsync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provsync",
        abstract: "Keep a platform's providers equal to the manifests in a git repository.",
        version: "0.1.0",
        subcommands: [ValidateCommand.self, PlanCommand.self, ApplyCommand.self, DriftCommand.self, ShowCommand.self,
                      EnvironmentsCommand.self,
                      SchemaCommand.self, SandboxCommand.self]
    )

    /// ArgumentParser's `main()`, except that a usage error (an unknown option or command, a bad or missing
    /// value) exits 1, as every other error does, instead of 64; `--help` and `--version` still exit 0.
    static func main() async {
        // Freed memory kept for reuse (the CMalloc shim): about 8% less CPU on a large plan (BENCHMARKS.md).
        provsync_keep_freed_memory()
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch where exitCode(for: error) == .validationFailure {
            Console().err(fullMessage(for: error))
            exit(withError: ExitCode.failure)
        } catch {
            exit(withError: error)
        }
    }
}
