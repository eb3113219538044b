import Foundation

/// The sandbox's whole mutable state. Every request is handled inside one actor call, so each is atomic.
actor SandboxState {
    let configuration: SandboxConfiguration
    let initialWorld: SandboxWorld
    var world: SandboxWorld {
        didSet { revision &+= 1 }
    }
    /// Changes whenever `world` does; keys the cache of encoded lists.
    private(set) var revision = 0
    /// The last encoded list answers, reused while the world is unchanged.
    var listCache: [String: (revision: Int, body: [UInt8])] = [:]
    var clockOffset: TimeInterval = 0
    var faults: FaultInjector
    /// Write requests received, by route pattern (injected faults included).
    var receivedWrites: [String: Int] = [:]
    /// Write requests that changed state (2xx), by route pattern.
    var appliedWrites: [String: Int] = [:]
    var log = RequestLog()
    var isDirty = false
    /// Installations whose lifecycle has not settled yet.
    var settling: Set<String> = []
    /// The network agents providers point at, and which of them are stopped.
    var agents: AgentNetwork
    let initialAgents: AgentNetwork
    /// When the background probe runs next, on the sandbox clock.
    var nextProbe: Date
    /// The sandbox clock's zero for a manual clock.
    let startedAt: Date

    init(configuration: SandboxConfiguration, world: SandboxWorld, agents: AgentNetwork = AgentNetwork()) {
        self.configuration = configuration
        self.agents = agents
        self.initialAgents = agents
        let started = Date()
        self.startedAt = started
        self.nextProbe = started.addingTimeInterval(configuration.firstProbeAfter)
        self.initialWorld = world
        self.world = world
        self.faults = FaultInjector(plan: configuration.faults)
        self.settling = Set(world.installations.values.filter(Self.isSettling).map(\.canonical))
    }

    var now: Date { (configuration.manualClock ? startedAt : Date()).addingTimeInterval(clockOffset) }

    /// Latency and fault for the next request on `route`.
    func prepare(_ route: SandboxRoute) -> (latencyMs: Int, fault: FaultDecision) {
        guard !route.isAdmin else { return (0, .none) }
        return (faults.latencyMs(for: route.pattern), faults.decide(for: route.pattern))
    }

    /// Decides the latency and fault for one request and answers it, in one step on the actor.
    func receive(_ route: SandboxRoute, _ request: SandboxRequest)
        -> (latencyMs: Int, fault: FaultDecision, response: SandboxResponse) {
        let (latency, fault) = prepare(route)
        return (latency, fault, respond(to: route, request, fault: fault))
    }

    /// Answers one request, recording it.
    func respond(to route: SandboxRoute, _ request: SandboxRequest, fault: FaultDecision) -> SandboxResponse {
        if route.isWrite {
            receivedWrites[route.pattern, default: 0] += 1
        }
        let response: SandboxResponse
        switch fault {
        case .error(let status):
            response = .detail(status, "Injected fault: the sandbox answered \(status)")
        case .throttle(let seconds):
            var throttled = SandboxResponse.detail(429, "Too many requests")
            throttled.headers.append(("Retry-After", "\(seconds)"))
            response = throttled
        case .drop:
            response = SandboxResponse(status: 200)
        case .none, .lostReply:
            response = handle(route, request)
        }
        let handled = fault == .none || fault == .lostReply
        if route.isWrite && handled && (200..<300).contains(response.status) && route != .previewProvider {
            appliedWrites[route.pattern, default: 0] += 1
            isDirty = true
        }
        if !route.isAdmin {
            log.append(RequestLogEntry(
                sequence: log.total + 1, method: request.method, path: request.path, route: route.pattern,
                status: fault == .drop ? 0 : response.status, fault: fault.label, subject: subject(of: route, request)
            ))
        }
        return response
    }

    private func handle(_ route: SandboxRoute, _ request: SandboxRequest) -> SandboxResponse {
        switch route.side {
        case .admin:
            guard case .admin(let name) = route else { return .detail(404, "Not Found") }
            // With any credential, every admin route wants the admin token as a bearer token.
            if let refused = refuseOnAdmin(request.authorization) { return refused }
            return handleAdmin(name, request)
        case .store:
            // The store API takes only a bearer token.
            if let refused = refuseOnStore(request.authorization) { return refused }
            settleLifecycles()
            return handleStore(route, request)
        case .agents:
            probeIfDue()
            let caller = identify(request.authorization)
            if caller == .invalid {
                var response = SandboxResponse.detail(401, "Invalid authentication credentials")
                let base = "http://\(request.host ?? "\(configuration.host):\(configuration.port)")"
                response.headers.append(("WWW-Authenticate",
                                         "Bearer resource_metadata=\"\(base)/.well-known/oauth-protected-resource\""))
                return response
            }
            if route.needsAdministrator && caller != .administrator {
                return .detail(403, "Insufficient permissions")
            }
            return handleAgents(route, request, caller: caller)
        }
    }

    private func subject(of route: SandboxRoute, _ request: SandboxRequest) -> String? {
        switch route {
        case .install: request.json?.objectValue?["provider_name"]?.stringValue
        case .upgrade(let org, let name), .downgrade(let org, let name), .uninstall(let org, let name),
             .versions(let org, let name), .storeProvider(let org, let name): "\(org)/\(name)"
        case .createProvider, .previewProvider: request.json?.objectValue?["location"]?.stringValue
        case .getProvider(let id), .patchProvider(let id), .deleteProvider(let id), .getVariables(let id),
             .putVariables(let id): id
        default: nil
        }
    }

    // MARK: Lifecycle

    static func isSettling(_ record: InstallationRecord) -> Bool {
        record.lifecycleState == "pending" || record.lifecycleState == "processing"
    }

    /// Moves installations on: pending → processing → ready (or failed for a broken version), once the
    /// configured delays have passed on the sandbox clock.
    func settleLifecycles() {
        let now = self.now
        for canonical in settling {
            guard var record = world.installations[canonical] else {
                settling.remove(canonical)
                continue
            }
            if record.lifecycleState == "pending",
               now.timeIntervalSince(record.stateSince) >= configuration.pendingSeconds {
                record.lifecycleState = "processing"
                record.stateSince = record.stateSince.addingTimeInterval(configuration.pendingSeconds)
            }
            if record.lifecycleState == "processing",
               now.timeIntervalSince(record.stateSince) >= configuration.processingSeconds {
                record.stateSince = record.stateSince.addingTimeInterval(configuration.processingSeconds)
                if world.catalog[canonical]?.broken.contains(record.installedVersion) == true {
                    record.lifecycleState = "failed"
                    record.health = "degraded"
                    record.healthMessage = "version \(record.installedVersion) failed to start: readiness probe failed"
                } else {
                    record.lifecycleState = "ready"
                    record.currentVersion = record.installedVersion
                    record.health = "healthy"
                    record.healthMessage = nil
                }
                settling.remove(canonical)
            }
            if record != world.installations[canonical] {
                world.installations[canonical] = record
                isDirty = true
            }
        }
    }

    func startSettling(_ canonical: String) {
        settling.insert(canonical)
    }

    /// A list answer from the cache, or made by `build` and cached, keyed by `key` and the world's revision.
    func cachedList(_ key: String, build: () -> SandboxJSON) -> SandboxResponse {
        if let cached = listCache[key], cached.revision == revision {
            return SandboxResponse(status: 200, body: cached.body)
        }
        if listCache.values.contains(where: { $0.revision != revision }) {
            listCache = [:]
        }
        let body = JSONWriter.bytes(build())
        listCache[key] = (revision, body)
        return SandboxResponse(status: 200, body: body)
    }

    // MARK: Persistence

    /// The world as JSON, when it changed since the last call.
    func takeDirtySnapshot() -> SandboxWorld? {
        guard isDirty else { return nil }
        isDirty = false
        return world
    }

    func markDirty() {
        isDirty = true
    }
}
