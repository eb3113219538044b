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
            token it requires it as a bearer token.
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

    @Option(help: ArgumentHelp("Bearer token both APIs require (the agent API also takes it as a Basic password); "
                               + "default: $PROVSYNC_TOKEN, else no auth.", valueName: "token"))
    var token: String?

    @Flag(help: "Accept every caller, even when PROVSYNC_TOKEN is set.")
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
        let environmentToken = ProcessInfo.processInfo.environment["PROVSYNC_TOKEN"]
        let rule = FaultRule(route: "*", latencyMs: latencyMs, errorRate: failRate, throttleRate: throttleRate,
                             dropRate: dropRate)
        let server: SandboxServer
        do {
            let plan = try faults.map(FaultPlan.load) ?? FaultPlan(seed: faultSeed, rules: [rule])
            let configuration = SandboxConfiguration(
                host: host, port: port, token: noAuth ? nil : token ?? environmentToken, stateFile: state,
                seedFile: seed, pendingSeconds: settleSeconds / 2, processingSeconds: settleSeconds / 2, faults: plan,
                agentCardsFile: agentCards, imagesFile: images, localNetwork: localNetwork
            )
            server = try await SandboxServer.start(configuration)
        } catch {
            Console().err("error: \(error)")
            throw ExitCode(1)
        }
        let authenticated = !noAuth && (token ?? environmentToken) != nil
        Console().out("provsync sandbox listening on \(server.url.absoluteString)"
                      + (authenticated ? " (token required)" : " (no auth)"))
        if !authenticated {
            Console().err("warning: no token: the admin side (/_sandbox/: state with every secret, faults, reset) "
                          + "is open to anyone who can reach \(server.url.absoluteString)")
        }
        await withSignalCancellation {
            await server.waitUntilStopped()
        }
        await server.stop()
    }
}
