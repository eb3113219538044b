import ArgumentParser
import ProvsyncEngine
import ProvsyncModel

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

    var request: ConnectionRequest {
        ConnectionRequest(apiURL: apiURL, storeURL: storeURL, agentsURL: agentsURL, sandbox: sandbox,
                          parallelism: parallelism)
    }
}
