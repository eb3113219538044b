import ProvsyncModel

/// Compares one AgentProvider manifest with its live provider (matched by origin).
///
/// An absent `auto_stop_timeout_sec` means the API's default (1200 s); absent `variables` or `agent_card`
/// are not managed. Cards are compared after the API's normalisation, without the proxy-rewritten fields.
struct AgentProviderPlanner {
    /// The agent API's default `auto_stop_timeout_sec` on create.
    static let defaultAutoStopTimeoutSec = 1200

    let digester: Digester

    /// `card` with the live values copied in at each ignored `agent_card.a.b` path (paths of plain keys; a
    /// pattern with `*` or an index is left alone).
    static func keepingIgnored(_ ignore: [String], from live: JSONValue?, in card: JSONValue) -> JSONValue {
        guard let live else { return card }
        var result = card
        for pattern in ignore where pattern.hasPrefix("agent_card.") && !pattern.contains("*") && !pattern.contains("[") {
            let keys = pattern.split(separator: ".").dropFirst().map(String.init)
            result = setting(value(at: keys[...], in: live), at: keys[...], in: result)
        }
        return result
    }

    private static func value(at keys: ArraySlice<String>, in json: JSONValue) -> JSONValue? {
        guard let key = keys.first else { return json }
        guard case .object(let object) = json, let member = object[key] else { return nil }
        return value(at: keys.dropFirst(), in: member)
    }

    private static func setting(_ value: JSONValue?, at keys: ArraySlice<String>, in json: JSONValue) -> JSONValue {
        guard let key = keys.first, case .object(var object) = json else { return json }
        if keys.count == 1 {
            object[key] = value
        } else {
            object[key] = setting(value, at: keys.dropFirst(), in: object[key] ?? .object([:]))
        }
        return .object(object)
    }

    /// The whole desired provider as a create (or preview) body.
    static func wholeProvider(_ desired: DesiredAgentProvider) -> AgentProviderRequest {
        let manifest = desired.manifest
        return AgentProviderRequest(
            location: manifest.location, origin: manifest.originIsPinned ? manifest.origin : nil,
            agentCard: manifest.agentCard, variables: desired.variables?.mapValues(\.text),
            autoStopTimeoutSec: manifest.autoStopTimeoutSec
        )
    }

    /// `liveCard` is the live card as `AgentCardRules.comparable` makes it, when the caller has it already.
    func plan(_ desired: DesiredAgentProvider, live: LiveAgentProvider?, liveCard: JSONValue?? = nil)
        -> (PlannedChange, PlannedOperation)? {
        let manifest = desired.manifest
        let policy = manifest.policy
        var differences: [FieldDifference] = []
        func add(_ path: String, _ before: PlanValue, _ after: PlanValue) {
            guard !PathPattern.matchesAny(policy.ignore, path: path) else { return }
            differences.append(FieldDifference(path: path, before: before, after: after))
        }
        let liveSource = live?.source
        if liveSource != desired.source {
            add("location", liveSource.map { .value(.string($0)) } ?? .absent, .value(.string(desired.source)))
        }
        if let liveOrigin = live?.origin, liveOrigin != manifest.origin {
            add("origin", .value(.string(liveOrigin)), .value(.string(manifest.origin)))
        } else if live == nil && manifest.originIsPinned {
            add("origin", .absent, .value(.string(manifest.origin)))
        }
        let timeout = manifest.autoStopTimeoutSec ?? Self.defaultAutoStopTimeoutSec
        if live.map({ $0.autoStopTimeoutSec != timeout }) ?? (manifest.autoStopTimeoutSec != nil) {
            add("auto_stop_timeout_sec", live?.autoStopTimeoutSec.map { .value(.integer($0)) } ?? .absent,
                .value(.integer(timeout)))
        }
        var variablesChanged = false
        if let wanted = desired.variables {
            let current = live?.variables ?? [:]
            for key in Set(current.keys).union(wanted.keys).sorted() where current[key] != wanted[key]?.text {
                let path = "variables.\(key)"
                guard !PathPattern.matchesAny(policy.ignore, path: path) else { continue }
                // A variable the manifest no longer has is shown redacted: it may well have held a secret.
                let sensitive = wanted[key]?.isSensitive ?? true || PathPattern.matchesAny(policy.sensitive, path: path)
                add(path, digester.value(current[key], sensitive: sensitive),
                    digester.value(wanted[key]?.text, sensitive: sensitive))
                variablesChanged = true
            }
        }
        var cardChanged = false
        // PATCH replaces the whole card: the desired card keeps the live values at ignored card paths.
        let wantedCard = manifest.agentCard.map { Self.keepingIgnored(policy.ignore, from: live?.agentCard, in: $0) }
        if let card = wantedCard {
            let before = liveCard ?? live?.agentCard.map(AgentCardRules.comparable)
            for leaf in JSONDiff.differences(at: "agent_card", before: before, after: AgentCardRules.comparable(card))
            where !PathPattern.matchesAny(policy.ignore, path: leaf.path) {
                let sensitive = PathPattern.touchesAny(policy.sensitive, path: leaf.path)
                add(leaf.path, digester.value(leaf.before, sensitive: sensitive),
                    digester.value(leaf.after, sensitive: sensitive))
                cardChanged = true
            }
        }
        guard !differences.isEmpty else { return nil }
        guard let live else {
            let request = Self.wholeProvider(desired)
            let change = PlannedChange(address: manifest.address, action: .create, reason: "no provider with this origin",
                                       manifest: desired.location, differences: differences, liveFingerprint: nil)
            return (change, .create(request))
        }
        // The server recomputes a missing origin from the location, so a pinned one is always sent.
        var request = AgentProviderRequest(origin: manifest.originIsPinned ? manifest.origin : nil)
        // Only fields whose difference is planned (not ignored) are sent.
        let planned = Set(differences.map(\.path))
        if planned.contains("location") { request.location = manifest.location }
        if planned.contains("auto_stop_timeout_sec") { request.autoStopTimeoutSec = timeout }
        if cardChanged { request.agentCard = wantedCard }
        if variablesChanged, let wanted = desired.variables {
            // PATCH replaces the whole set: keep the live values of ignored variables.
            var variables = wanted.mapValues(\.text)
            for (key, value) in live.variables ?? [:]
            where wanted[key] == nil && PathPattern.matchesAny(policy.ignore, path: "variables.\(key)") {
                variables[key] = value
            }
            request.variables = variables
        }
        let fields = Set(differences.map { $0.path.split(separator: ".").first.map(String.init) ?? $0.path })
        let refusal = live.registry.map { "synced from registry \($0), which refuses updates; change it there" }
        let change = PlannedChange(
            address: manifest.address, action: .update, reason: "\(fields.sorted().joined(separator: ", ")) changed",
            manifest: desired.location, differences: differences,
            liveFingerprint: digester.fingerprint(live, card: liveCard), refusal: refusal
        )
        return (change, .update(id: live.id, request))
    }
}
