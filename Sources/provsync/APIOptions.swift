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

    @Option(help: ArgumentHelp(
        "How long one API request may take, from connecting to the answer's last byte: seconds, or a duration "
            + "such as 90s or 2m (default 30s). Connecting is limited to 10 s, and an answer that stalls "
            + "(under a byte a second) for half this long is given up early.",
        valueName: "duration"))
    var requestTimeout: WaitDuration?

    func validate() throws {
        if let requestTimeout, requestTimeout.seconds <= 0 || requestTimeout.seconds > 3600 {
            throw ValidationError("--request-timeout must be more than 0 and at most 1h")
        }
        if let parallelism, !ProjectConfiguration.parallelismRange.contains(parallelism) {
            throw ValidationError("--parallelism must be between 1 and 256")
        }
        if sandbox && (apiURL != nil || storeURL != nil || agentsURL != nil) {
            throw ValidationError("--sandbox starts its own API; it cannot be combined with --api-url, --store-url or --agents-url")
        }
    }

    var request: ConnectionRequest {
        var request = ConnectionRequest(apiURL: apiURL, storeURL: storeURL, agentsURL: agentsURL, sandbox: sandbox,
                                        parallelism: parallelism)
        if let requestTimeout {
            request.requestTimeout = requestTimeout.seconds
        }
        return request
    }
}
