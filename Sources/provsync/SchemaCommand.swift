import ArgumentParser
import ProvsyncManifests

/// `provsync schema`: prints the JSON Schema of the manifest format.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a JSON Schema (draft 2020-12) of the manifest format, for editors."
    )

    func run() throws {
        Console().out(try ManifestSchema.json())
    }
}
