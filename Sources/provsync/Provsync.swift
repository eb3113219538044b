import ArgumentParser

@main
struct Provsync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provsync",
        abstract: "Keep a platform's providers equal to the manifests in a git repository.",
        version: "0.1.0",
        subcommands: [ValidateCommand.self, PlanCommand.self, ApplyCommand.self, DriftCommand.self, SchemaCommand.self, SandboxCommand.self]
    )
}
