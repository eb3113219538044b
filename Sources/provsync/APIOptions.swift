import ArgumentParser
import Foundation
import ProvsyncLive
import ProvsyncModel
import ProvsyncSandbox

/// Where the provider APIs are, and how hard to drive them; shared by plan, apply and drift.
struct APIOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Base URL of both APIs (default: api from provsync.yaml).", valueName: "url"))
    var apiURL: String?

    @Option(help: ArgumentHelp("Base URL of the store API, overriding --api-url for it.", valueName: "url"))
    var storeURL: String?

    @Option(help: ArgumentHelp("Base URL of the agent API, overriding --api-url for it.", valueName: "url"))
    var agentsURL: String?

    @Flag(help: "Start an embedded sandbox API on loopback (state in .provsync/sandbox.json) and use it.")
    var sandbox = false

    @Option(help: "How many API requests may be in flight at once (default: provsync.yaml, else 8).")
    var parallelism: Int?

    func validate() throws {
        if let parallelism, !ProjectConfiguration.parallelismRange.contains(parallelism) {
            throw ValidationError("--parallelism must be between 1 and 256")
        }
        if sandbox && (apiURL != nil || storeURL != nil || agentsURL != nil) {
            throw ValidationError("--sandbox starts its own API; it cannot be combined with --api-url, --store-url or --agents-url")
        }
    }

    func effectiveParallelism(_ configuration: ProjectConfiguration) -> Int {
        parallelism ?? configuration.parallelism ?? 8
    }

    /// The endpoints to use, starting the embedded sandbox when asked (the caller stops it).
    func connect(
        _ configuration: ProjectConfiguration, source: ManifestSource
    ) async throws -> (endpoints: APIEndpoints, sandbox: SandboxServer?) {
        if sandbox {
            let directory = URL(fileURLWithPath: source.repository).appendingPathComponent(".provsync")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let ignore = directory.appendingPathComponent(".gitignore")
            if !FileManager.default.fileExists(atPath: ignore.path) {
                try Data("# provsync's local state (the embedded sandbox); never committed\n*\n".utf8).write(to: ignore)
            }
            let server = try await SandboxServer.start(SandboxConfiguration(
                port: 0, stateFile: directory.appendingPathComponent("sandbox.json").path
            ))
            return (APIEndpoints(apiURL: server.url), server)
        }
        let endpoints = try APIEndpoints.resolve(
            apiURL: apiURL ?? configuration.apiURL, storeURL: storeURL ?? configuration.storeURL,
            agentsURL: agentsURL ?? configuration.agentsURL
        )
        return (endpoints, nil)
    }
}
