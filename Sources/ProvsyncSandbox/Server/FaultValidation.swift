/// The ranges fault rules must keep: rates are shares in 0...1, latency and `Retry-After` are not negative,
/// and latency is at most `maxLatencyMs` (an answer that never leaves is a dropped connection, not latency).
extension FaultPlan {
    static let maxLatencyMs = 600_000

    /// Every value out of its range, as FastAPI words a constraint failure (`loc` is `body.rules.N.field`).
    var problems: [ValidationIssue] {
        var issues: [ValidationIssue] = []
        for (index, rule) in rules.enumerated() {
            let loc: (String) -> [ValidationIssue.LocationPart] = {
                [.key("body"), .key("rules"), .index(index), .key($0)]
            }
            issues += Self.range("latency_ms", .int(rule.latencyMs), Double(rule.latencyMs), 0, Self.maxLatencyMs, loc)
            issues += Self.range("retry_after_seconds", .int(rule.retryAfterSeconds), Double(rule.retryAfterSeconds),
                                 0, nil, loc)
            for (field, rate) in [("error_rate", rule.errorRate), ("throttle_rate", rule.throttleRate),
                                  ("drop_rate", rule.dropRate), ("lost_reply_rate", rule.lostReplyRate)] {
                issues += Self.range(field, .double(rate), rate, 0, 1, loc)
            }
        }
        return issues
    }

    /// NaN is out of every range.
    private static func range(_ field: String, _ input: SandboxJSON, _ value: Double, _ low: Int, _ high: Int?,
                              _ loc: (String) -> [ValidationIssue.LocationPart]) -> [ValidationIssue] {
        if !(value >= Double(low)) {
            return [ValidationIssue(type: "greater_than_equal", loc: loc(field),
                                    msg: "Input should be greater than or equal to \(low)", input: input,
                                    ctx: ["ge": .int(low)])]
        }
        if let high, !(value <= Double(high)) {
            return [ValidationIssue(type: "less_than_equal", loc: loc(field),
                                    msg: "Input should be less than or equal to \(high)", input: input,
                                    ctx: ["le": .int(high)])]
        }
        return []
    }
}

extension ValidationIssue {
    /// `rules[0].latency_ms: Input should be …`, for a message on the command line.
    var summary: String {
        var path = ""
        for part in loc.dropFirst() {
            switch part {
            case .key(let key): path += path.isEmpty ? key : ".\(key)"
            case .index(let index): path += "[\(index)]"
            }
        }
        return "\(path): \(msg)"
    }
}
