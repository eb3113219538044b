import Foundation

/// The admin side under `/_sandbox/`, for tests and demos: reset, dump and load state, write counts,
/// the request log, the clock, fault rules and publishing versions.
extension SandboxState {
    func handleAdmin(_ name: String, _ request: SandboxRequest) -> SandboxResponse {
        switch (request.method, name) {
        case ("GET", "health"):
            return .json(200, ["ok": true])
        case ("POST", "reset"):
            world = initialWorld
            settling = Set(world.installations.values.filter(Self.isSettling).map(\.canonical))
            receivedWrites = [:]
            appliedWrites = [:]
            log.clear()
            clockOffset = 0
            agents = initialAgents
            nextProbe = now.addingTimeInterval(configuration.firstProbeAfter)
            faults.reset(configuration.faults)
            isDirty = true
            return .json(200, ["ok": true])
        case ("GET", "state"):
            settleLifecycles()
            return .json(200, world)
        case ("PUT", "state"):
            guard let loaded = try? SandboxJSON.decode(SandboxWorld.self, from: Data(request.body)) else {
                return .detail(400, "The body is not a sandbox state (see /_sandbox/state for the shape)")
            }
            world = loaded
            settling = Set(world.installations.values.filter(Self.isSettling).map(\.canonical))
            isDirty = true
            return .json(200, ["ok": true])
        case ("GET", "writes"):
            return .json(200, WriteCounts(
                received: receivedWrites, applied: appliedWrites,
                totalReceived: receivedWrites.values.reduce(0, +), totalApplied: appliedWrites.values.reduce(0, +)
            ))
        case ("GET", "requests"):
            return .json(200, RequestLogDump(total: log.total, requests: log.ordered))
        case ("DELETE", "requests"):
            log.clear()
            receivedWrites = [:]
            appliedWrites = [:]
            return .json(200, ["ok": true])
        case ("POST", "clock"):
            guard let seconds = request.json?.objectValue?["advance_seconds"], let amount = Self.number(seconds),
                  amount >= 0, clockOffset + amount <= Self.maxClockOffset else {
                return .detail(400, "Send {\"advance_seconds\": N} with N >= 0, the clock at most 100 years ahead")
            }
            clockOffset += amount
            settleLifecycles()
            probeIfDue()
            return .json(200, ["now": Timestamps.rfc3339(now)])
        case ("POST", "agents"):
            return changeAgents(request.json)
        case ("GET", "faults"):
            return .json(200, faults.plan)
        case ("PUT", "faults"):
            guard let plan = try? SandboxJSON.decode(FaultPlan.self, from: Data(request.body)) else {
                return .detail(400, "Send {\"seed\": N, \"rules\": [{\"route\": \"POST /providers/*\", ...}]}")
            }
            let problems = plan.problems
            guard problems.isEmpty else { return .validation(problems) }
            faults.reset(plan)
            return .json(200, plan)
        case ("POST", "publish"):
            let body = request.json?.objectValue
            guard let provider = body?["provider"]?.stringValue, let version = body?["version"]?.stringValue,
                  SandboxWorld.isSemanticVersion(version) else {
                return .detail(400, "Send {\"provider\": \"org/name\", \"version\": \"1.2.3\", \"broken\": false}")
            }
            publish(version, of: provider, broken: body?["broken"] == .bool(true))
            return .json(200, ["ok": true])
        default:
            return .detail(404, "Unknown sandbox admin endpoint \(request.method) /_sandbox/\(name)")
        }
    }

    /// `{"url": "http://…/", "online": false}` stops or starts one agent; any other object maps base URLs to
    /// the cards those agents serve from now on.
    private func changeAgents(_ json: SandboxJSON?) -> SandboxResponse {
        guard let body = json?.objectValue else {
            return .detail(400, "Send {\"url\": \"http://…/\", \"online\": false} or {\"http://…/\": card}")
        }
        if let url = body["url"]?.stringValue, case .bool(let online)? = body["online"], body.count == 2 {
            guard agents.set(url, online: online) else { return .detail(400, "\(url) is not an http(s) location") }
            probeIfDue()
            return .json(200, ["ok": true])
        }
        do {
            try agents.add(.object(body))
        } catch {
            return .detail(400, "\(error)")
        }
        return .json(200, ["ok": true])
    }

    /// How far `POST /_sandbox/clock` may move the clock in all: 100 years (dates stay printable).
    static let maxClockOffset: TimeInterval = 100 * 365.25 * 86_400

    private static func number(_ value: SandboxJSON) -> Double? {
        switch value {
        case .int(let int): Double(int)
        case .double(let double): double
        default: nil
        }
    }
}

/// The request log as `/_sandbox/requests` returns it: how many API requests arrived since the last reset
/// and the most recent of them, oldest first.
struct RequestLogDump: Encodable {
    var total: Int
    var requests: [RequestLogEntry]
}

/// Write requests by route pattern: all that arrived, and those that changed state.
struct WriteCounts: Encodable {
    var received: [String: Int]
    var applied: [String: Int]
    var totalReceived: Int
    var totalApplied: Int

    enum CodingKeys: String, CodingKey {
        case received, applied, totalReceived = "total_received", totalApplied = "total_applied"
    }
}
