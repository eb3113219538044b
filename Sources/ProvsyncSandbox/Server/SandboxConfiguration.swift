import Foundation

/// How a sandbox runs: where it listens, who may write, how fast installs settle, what faults it injects.
package struct SandboxConfiguration: Sendable {
    package var host: String
    /// 0 picks a free port.
    package var port: Int
    /// The credential of both APIs and the admin side unless a per-API one is set: a bearer token on the store
    /// API, a bearer token or Basic password on the agent API. nil with no per-API value switches auth off.
    package var token: String?
    /// The bearer token the store API requires instead of `token`.
    package var storeToken: String?
    /// The Basic password (any user name) the agent API accepts instead of `token`.
    package var agentsPassword: String?
    /// A bearer token the agent API accepts instead of `token` (its OIDC tokens).
    package var agentsToken: String?
    /// The former name of `agentsPassword`.
    package var password: String? {
        get { agentsPassword }
        set { agentsPassword = newValue }
    }
    /// Where state is kept across restarts; nil keeps it in memory.
    package var stateFile: String?
    /// A JSON file with the initial world (catalog, installations, providers); nil uses the built-in default.
    package var seedFile: String?
    /// How long an installation stays `pending`, then `processing`, before it is `ready` (or `failed`).
    package var pendingSeconds: Double
    package var processingSeconds: Double
    package var faults: FaultPlan
    /// A JSON object from an agent's base URL (`http://agent-a.test:18601/`) to the card it serves; with
    /// cards given, an agent not listed is unreachable. nil (and no file) keeps every agent reachable.
    package var agentCards: Data?
    /// The same object, read from a file (`--agent-cards`).
    package var agentCardsFile: String?
    /// The images the registries serve: a JSON object from `repository:tag` to `{"digest", "card"}` (`card`
    /// null with `label_raw` null for an image without the card label, `label_raw` text for an invalid one);
    /// an image not listed does not exist. nil (and no file) keeps the open built-in image world.
    package var images: Data?
    /// The same object, read from a file (`--images`).
    package var imagesFile: String?
    /// The server's local-network setting: `host.docker.internal` becomes `localhost`, loopback names stay.
    package var localNetwork: Bool
    /// Providers the server adds from its own registry config, as a JSON array of
    /// `{"registry", "location", "auto_stop_timeout_sec", "agent_card", "variables"}`; they refuse PATCH.
    package var registryProviders: Data?
    /// When true the sandbox clock stands still except for `POST /_sandbox/clock` (deterministic replays).
    package var manualClock: Bool
    /// Seconds from the start to the first background probe, and between probes (5 s on the real server).
    package var firstProbeAfter: Double
    package var probeInterval: Double

    package init(
        host: String = "127.0.0.1", port: Int = 0, token: String? = nil, storeToken: String? = nil,
        agentsPassword: String? = nil, agentsToken: String? = nil, password: String? = nil,
        stateFile: String? = nil, seedFile: String? = nil, pendingSeconds: Double = 0.5,
        processingSeconds: Double = 1.0, faults: FaultPlan = FaultPlan(), agentCards: Data? = nil,
        agentCardsFile: String? = nil, images: Data? = nil, imagesFile: String? = nil, localNetwork: Bool = false,
        registryProviders: Data? = nil, manualClock: Bool = false, firstProbeAfter: Double = 5, probeInterval: Double = 5
    ) {
        self.probeInterval = max(probeInterval, 0.001)
        self.manualClock = manualClock
        self.firstProbeAfter = firstProbeAfter
        self.registryProviders = registryProviders
        self.agentCards = agentCards
        self.agentCardsFile = agentCardsFile
        self.images = images
        self.imagesFile = imagesFile
        self.localNetwork = localNetwork
        self.host = host
        self.port = port
        self.token = token
        self.storeToken = storeToken
        self.agentsPassword = agentsPassword ?? password
        self.agentsToken = agentsToken
        self.stateFile = stateFile
        self.seedFile = seedFile
        self.pendingSeconds = pendingSeconds
        self.processingSeconds = processingSeconds
        self.faults = faults
    }
}

/// The credentials each side requires, once per-API values and the shared token are combined.
extension SandboxConfiguration {
    /// The bearer token the store API requires: `storeToken`, else `token`; nil leaves it open.
    package var requiredStoreToken: String? { storeToken ?? token }

    /// Whether the agent API has any per-API credential; then it no longer accepts `token`.
    private var hasAgentsCredential: Bool { agentsPassword != nil || agentsToken != nil }

    /// The bearer token the agent API accepts as an administrator: `agentsToken`, else `token` while no agent
    /// credential is set.
    package var acceptedAgentsToken: String? { agentsToken ?? (hasAgentsCredential ? nil : token) }

    /// The Basic password the agent API accepts: `agentsPassword`, else `token` while no agent credential is set.
    package var acceptedAgentsPassword: String? { agentsPassword ?? (hasAgentsCredential ? nil : token) }

    /// Whether the agent API checks credentials at all (without any, every caller is an administrator).
    package var agentsAuthenticated: Bool { acceptedAgentsToken != nil || acceptedAgentsPassword != nil }

    /// The bearer token the admin side requires: `token`, else `storeToken`, else `agentsToken`, else
    /// `agentsPassword`; nil (no credential at all) leaves it open.
    package var adminToken: String? { token ?? storeToken ?? agentsToken ?? agentsPassword }

    /// What each side requires, never the values: `token required` for the shared token alone, `no auth`
    /// without any credential, else per side (`store API: bearer token; agent API: Basic password; …`).
    package var authSummary: String {
        guard storeToken != nil || hasAgentsCredential else { return token == nil ? "no auth" : "token required" }
        let store = requiredStoreToken == nil ? "no auth" : "bearer token"
        let agents = switch (acceptedAgentsPassword != nil, acceptedAgentsToken != nil) {
        case (true, true): "Basic password or bearer token"
        case (true, false): "Basic password"
        case (false, true): "bearer token"
        case (false, false): "no auth"
        }
        let admin = if token != nil {
            "the token as bearer"
        } else if storeToken != nil {
            "the store token as bearer"
        } else if agentsToken != nil {
            "the agents token as bearer"
        } else {
            "the agents password as bearer"
        }
        return "store API: \(store); agent API: \(agents); admin side: \(admin)"
    }
}

/// Faults injected per route pattern, deterministic under `seed`.
package struct FaultPlan: Sendable, Codable, Hashable {
    package var seed: UInt64
    package var rules: [FaultRule]

    package init(seed: UInt64 = 1, rules: [FaultRule] = []) {
        self.seed = seed
        self.rules = rules
    }

    /// Reads fault rules from a JSON file: `{"seed": 1, "rules": [{"route": "POST /providers/*", ...}]}`.
    package static func load(_ path: String) throws -> FaultPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SandboxError("cannot read fault rules from \(path)")
        }
        let plan: FaultPlan
        do {
            plan = try SandboxJSON.decode(FaultPlan.self, from: data)
        } catch {
            throw SandboxError("\(path) is not a fault plan ({\"seed\": 1, \"rules\": [...]}): \(error)")
        }
        let problems = plan.problems
        guard problems.isEmpty else {
            throw SandboxError("\(path) has bad fault rules: " + problems.map(\.summary).joined(separator: "; "))
        }
        return plan
    }
}

/// Faults for the routes whose pattern (`POST /providers/install`) matches `route`, where `*` matches
/// any run of characters. Rates are shares of requests in 0...1.
package struct FaultRule: Sendable, Codable, Hashable {
    package var route: String
    package var latencyMs: Int
    /// Share answered 500, 502 or 503 (chosen in turn by the seeded generator).
    package var errorRate: Double
    /// Share answered 429 with `Retry-After`.
    package var throttleRate: Double
    package var retryAfterSeconds: Int
    /// Share whose connection is closed without a complete answer, before anything is done.
    package var dropRate: Double
    /// Share that is carried out, after which the connection is closed without the answer.
    package var lostReplyRate: Double

    package init(route: String = "*", latencyMs: Int = 0, errorRate: Double = 0, throttleRate: Double = 0,
                 retryAfterSeconds: Int = 1, dropRate: Double = 0, lostReplyRate: Double = 0) {
        self.route = route
        self.latencyMs = latencyMs
        self.errorRate = errorRate
        self.throttleRate = throttleRate
        self.retryAfterSeconds = retryAfterSeconds
        self.dropRate = dropRate
        self.lostReplyRate = lostReplyRate
    }

    enum CodingKeys: String, CodingKey {
        case route, latencyMs = "latency_ms", errorRate = "error_rate", throttleRate = "throttle_rate"
        case retryAfterSeconds = "retry_after_seconds", dropRate = "drop_rate", lostReplyRate = "lost_reply_rate"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        route = try container.decodeIfPresent(String.self, forKey: .route) ?? "*"
        latencyMs = try container.decodeIfPresent(Int.self, forKey: .latencyMs) ?? 0
        errorRate = try container.decodeIfPresent(Double.self, forKey: .errorRate) ?? 0
        throttleRate = try container.decodeIfPresent(Double.self, forKey: .throttleRate) ?? 0
        retryAfterSeconds = try container.decodeIfPresent(Int.self, forKey: .retryAfterSeconds) ?? 1
        dropRate = try container.decodeIfPresent(Double.self, forKey: .dropRate) ?? 0
        lostReplyRate = try container.decodeIfPresent(Double.self, forKey: .lostReplyRate) ?? 0
    }

    func matches(_ pattern: String) -> Bool {
        Self.glob(Array(route), Array(pattern))
    }

    private static func glob(_ rule: [Character], _ text: [Character]) -> Bool {
        var memo: [[Bool?]] = Array(repeating: Array(repeating: nil, count: text.count + 1), count: rule.count + 1)
        func match(_ i: Int, _ j: Int) -> Bool {
            if let known = memo[i][j] { return known }
            let result: Bool
            if i == rule.count {
                result = j == text.count
            } else if rule[i] == "*" {
                result = match(i + 1, j) || (j < text.count && match(i, j + 1))
            } else {
                result = j < text.count && rule[i] == text[j] && match(i + 1, j + 1)
            }
            memo[i][j] = result
            return result
        }
        return match(0, 0)
    }
}
