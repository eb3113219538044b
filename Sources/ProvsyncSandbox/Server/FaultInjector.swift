/// What the fault injector decided for one request.
enum FaultDecision: Sendable, Equatable {
    case none
    case error(status: Int)
    case throttle(retryAfterSeconds: Int)
    /// The connection is closed before the request is handled: nothing happens.
    case drop
    /// The request is handled, then the connection is closed before the answer: the change happened but
    /// the client cannot know.
    case lostReply

    var label: String? {
        switch self {
        case .none: nil
        case .error(let status): "\(status)"
        case .throttle: "429"
        case .drop: "drop"
        case .lostReply: "lost-reply"
        }
    }

    /// True when the client gets no complete answer.
    var closesConnection: Bool { self == .drop || self == .lostReply }
}

/// Decides faults per request. The decision for the n-th request on a route depends only on the seed,
/// the route pattern and n, so a run is repeatable even when routes interleave differently.
struct FaultInjector: Sendable {
    var plan: FaultPlan
    private var counters: [String: UInt64] = [:]

    init(plan: FaultPlan) {
        self.plan = plan
    }

    /// The latency to add to requests on `pattern`, in milliseconds.
    func latencyMs(for pattern: String) -> Int {
        plan.rules.first { $0.matches(pattern) }?.latencyMs ?? 0
    }

    mutating func decide(for pattern: String) -> FaultDecision {
        guard let rule = plan.rules.first(where: { $0.matches(pattern) }),
              rule.errorRate > 0 || rule.throttleRate > 0 || rule.dropRate > 0 || rule.lostReplyRate > 0 else {
            return .none
        }
        let count = counters[pattern, default: 0]
        counters[pattern] = count + 1
        var generator = SplitMix64(seed: plan.seed ^ Self.fnv1a(pattern) &+ count &* 0x9E37_79B9_7F4A_7C15)
        let roll = generator.nextUnit()
        var threshold = rule.dropRate
        if roll < threshold { return .drop }
        threshold += rule.lostReplyRate
        if roll < threshold { return .lostReply }
        threshold += rule.throttleRate
        if roll < threshold { return .throttle(retryAfterSeconds: rule.retryAfterSeconds) }
        threshold += rule.errorRate
        if roll < threshold { return .error(status: [500, 502, 503][Int(generator.next() % 3)]) }
        return .none
    }

    mutating func reset(_ plan: FaultPlan) {
        self.plan = plan
        counters = [:]
    }

    /// A hash that is the same in every process (Swift's `Hasher` is seeded per process).
    private static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }
}

/// A small, fast, seedable generator (SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A number in 0..<1.
    mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}
