import ProvsyncModel

/// Matching of `policy.ignore` / `policy.sensitive` paths against difference paths. A pattern matches a
/// path when each of its segments equals the path's (or is `*`), so `config.*` matches `config.A`, and a
/// pattern also covers everything below it (`agent_card.skills` covers `agent_card.skills[0].name`).
enum PathPattern {
    static func matchesAny(_ patterns: [String], path: String) -> Bool {
        patterns.contains { matches($0, path: path) }
    }

    /// True when a pattern covers `path` or lies below it: a difference at `agent_card.securitySchemes`
    /// holds the value a pattern `agent_card.securitySchemes.api.token` protects.
    static func touchesAny(_ patterns: [String], path: String) -> Bool {
        let pathSegments = segments(path)
        return patterns.contains { pattern in
            let patternSegments = segments(pattern)
            return zip(patternSegments, pathSegments).allSatisfy { $0 == "*" || $0 == $1 }
        }
    }

    static func matches(_ pattern: String, path: String) -> Bool {
        let patternSegments = segments(pattern)
        let pathSegments = segments(path)
        guard patternSegments.count <= pathSegments.count else { return false }
        return zip(patternSegments, pathSegments).allSatisfy { $0 == "*" || $0 == $1 }
    }

    /// `agent_card.skills[0].name` → `agent_card`, `skills`, `[0]`, `name`.
    private static func segments(_ path: String) -> [Substring] {
        var result: [Substring] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = part[...]
            if let bracket = rest.firstIndex(of: "[") {
                result.append(rest[..<bracket])
                rest = rest[bracket...]
                while let close = rest.firstIndex(of: "]") {
                    result.append(rest[...close])
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                result.append(rest)
            }
        }
        return result
    }
}
