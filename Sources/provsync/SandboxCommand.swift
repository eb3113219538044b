import ArgumentParser
import Foundation
import ProvsyncSandbox

/// `provsync sandbox`: runs the local stand-in for both provider APIs in the foreground.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the local API server that speaks both provider APIs (for demos and tests).",
        discussion: """
            Both APIs share one base URL: the store API at its root, the agent API under /api/v1. The admin side \
            under /_sandbox/ resets, dumps and loads state, counts writes, logs requests and injects faults; with a \
            credential it requires a bearer token.

            Credentials: --token, --store-token, --agents-password and --agents-token each default to their \
            variable (PROVSYNC_TOKEN, PROVSYNC_STORE_TOKEN, PROVSYNC_AGENTS_PASSWORD, PROVSYNC_AGENTS_TOKEN; an \
            empty value counts as unset). --token is the credential of both APIs and the admin side; \
            --store-token replaces it on the store API, and --agents-password or --agents-token (either or both) \
            replace it on the agent API, which then accepts only those. The admin side wants --token as a bearer \
            token, else --store-token, else --agents-token, else --agents-password. A wrong or missing credential \
            on the store API or the admin side is a 401; on the agent API it makes the caller anonymous (reads \
            work, writes are 403).
            """
    )

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 8321

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("Keep state in this JSON file across restarts.", valueName: "file"))
    var state: String?

    @Option(help: ArgumentHelp("Start from this world (catalog, installations, providers) instead of the built-in one.",
                               valueName: "file"))
    var seed: String?

    @Option(help: ArgumentHelp("Bearer token both APIs and the admin side require (the agent API also takes it as "
                               + "a Basic password) unless a per-API one is given; default: $PROVSYNC_TOKEN, else "
                               + "no auth.", valueName: "token"))
    var token: String?

    @Option(help: ArgumentHelp("Bearer token the store API requires instead of --token (and the admin side, without "
                               + "--token); default: $PROVSYNC_STORE_TOKEN.", valueName: "token"))
    var storeToken: String?

    @Option(help: ArgumentHelp("Basic password (any user name) the agent API accepts instead of --token; default: "
                               + "$PROVSYNC_AGENTS_PASSWORD.", valueName: "password"))
    var agentsPassword: String?

    @Option(help: ArgumentHelp("Bearer token the agent API accepts instead of --token (as it accepts its OIDC "
                               + "tokens); default: $PROVSYNC_AGENTS_TOKEN.", valueName: "token"))
    var agentsToken: String?

    @Flag(help: "Accept every caller, even when a credential option or its variable is set.")
    var noAuth = false

    @Option(help: "Seconds an installation stays pending, then processing, before it is ready.")
    var settleSeconds = 1.0

    @Option(help: "Latency added to every API request, in milliseconds.")
    var latencyMs = 0

    @Option(help: "Share of API requests answered 500, 502 or 503 (0 to 1).")
    var failRate = 0.0

    @Option(help: "Share of API requests answered 429 with Retry-After (0 to 1).")
    var throttleRate = 0.0

    @Option(help: "Share of API requests whose connection is dropped (0 to 1).")
    var dropRate = 0.0

    @Option(help: "Seed for the fault generator; the same seed gives the same faults.")
    var faultSeed: UInt64 = 1

    @Option(help: ArgumentHelp("Fault rules per route pattern, as JSON (the shape of GET /_sandbox/faults); "
                               + "replaces the rates above.", valueName: "file"))
    var faults: String?

    @Option(help: ArgumentHelp("Cards the network agents serve, as a JSON object from an agent's base URL "
                               + "(http://agent-a.test:18601/) to its card; an agent not listed is unreachable.",
                               valueName: "file"))
    var agentCards: String?

    @Option(help: ArgumentHelp("Images the registries serve, as a JSON object from \"repository:tag\" to "
                               + "{\"digest\": \"sha256:…\", \"card\": {…}}; an image not listed does not exist.",
                               valueName: "file"))
    var images: String?

    @Flag(help: "The server's local-network setting: host.docker.internal becomes localhost, loopback names stay.")
    var localNetwork = false

    func validate() throws {
        for (name, rate) in [("--fail-rate", failRate), ("--throttle-rate", throttleRate), ("--drop-rate", dropRate)]
            where !(0...1).contains(rate) {
            throw ValidationError("\(name) must be between 0 and 1")
        }
        guard (0...600_000).contains(latencyMs) else {
            throw ValidationError("--latency-ms must be between 0 and 600000")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        /// The option, else its variable; empty counts as unset, and `--no-auth` unsets every credential.
        func credential(_ option: String?, _ variable: String) -> String? {
            guard !noAuth, let value = option ?? environment[variable], !value.isEmpty else { return nil }
            return value
        }
        let rule = FaultRule(route: "*", latencyMs: latencyMs, errorRate: failRate, throttleRate: throttleRate,
                             dropRate: dropRate)
        let server: SandboxServer
        let authSummary: String
        do {
            let plan = try faults.map(FaultPlan.load) ?? FaultPlan(seed: faultSeed, rules: [rule])
            let configuration = SandboxConfiguration(
                host: host, port: port, token: credential(token, "PROVSYNC_TOKEN"),
                storeToken: credential(storeToken, "PROVSYNC_STORE_TOKEN"),
                agentsPassword: credential(agentsPassword, "PROVSYNC_AGENTS_PASSWORD"),
                agentsToken: credential(agentsToken, "PROVSYNC_AGENTS_TOKEN"), stateFile: state,
                seedFile: seed, pendingSeconds: settleSeconds / 2, processingSeconds: settleSeconds / 2, faults: plan,
                agentCardsFile: agentCards, imagesFile: images, localNetwork: localNetwork
            )
            authSummary = configuration.authSummary
            server = try await SandboxServer.start(configuration)
        } catch {
            Console().err("error: \(error)")
            throw ExitCode(1)
        }
        Console().out("provsync sandbox listening on \(server.url.absoluteString) (\(authSummary))")
        if server.token == nil {
            Console().err("warning: no token: the admin side (/_sandbox/: state with every secret, faults, reset) "
                          + "is open to anyone who can reach \(server.url.absoluteString)")
        }
        await withSignalCancellation {
            await server.waitUntilStopped()
        }
        await server.stop()
    }
}
