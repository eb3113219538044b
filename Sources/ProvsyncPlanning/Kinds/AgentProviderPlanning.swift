import ProvsyncModel

/// An AgentProvider manifest with its references resolved and its location normalised.
package struct DesiredAgentProvider: DesiredObject {
    package var manifest: AgentProviderManifest
    package var location: SourceLocation
    /// The location as the agent API stores it (`source`): normalised here, or as the server spells it when
    /// that depends on its configuration and it was asked (`adopting(serverSource:)`).
    package private(set) var source: String
    /// The origin the provider has when it matches the manifest: the pinned one, else the one the server
    /// derives from `source`.
    package private(set) var origin: String
    package var variables: [String: ResolvedValue]?

    init(manifest: AgentProviderManifest, location: SourceLocation, source: String,
         variables: [String: ResolvedValue]?) {
        self.manifest = manifest
        self.location = location
        self.source = source
        self.variables = variables
        self.origin = Self.origin(of: manifest, source: source)
    }

    /// The same provider with the location as the server spells it.
    package func adopting(serverSource: String) -> DesiredAgentProvider {
        var copy = self
        copy.source = serverSource
        copy.origin = Self.origin(of: manifest, source: serverSource)
        return copy
    }

    private static func origin(of manifest: AgentProviderManifest, source: String) -> String {
        guard !manifest.originIsPinned, let parsed = try? AgentLocation.parse(source).get() else { return manifest.origin }
        return parsed.origin
    }

    package var address: ResourceAddress { manifest.address }
    package var policy: ManifestPolicy {
        get { manifest.policy }
        set { manifest.policy = newValue }
    }

    /// The whole desired provider as a create (or preview) body.
    var wholeProvider: AgentProviderRequest {
        AgentProviderRequest(
            location: manifest.location, origin: manifest.originIsPinned ? manifest.origin : nil,
            agentCard: manifest.agentCard, variables: variables?.mapValues(\.text),
            autoStopTimeoutSec: manifest.autoStopTimeoutSec
        )
    }
}

/// The live agent providers by origin and by source.
package struct AgentProviderIndex: Sendable {
    var byOrigin: [String: [LiveAgentProvider]]
    var bySource: [String: LiveAgentProvider]
}

/// Agent providers are paired by origin; when no live provider has the manifest's origin, by the server's
/// identity of the location (its normalised source), so a manifest that pins a new origin, or whose live
/// origin drifted, updates the provider instead of creating a second one the API would refuse. An absent
/// `auto_stop_timeout_sec` means the API's default (1200 s); absent `variables` or `agent_card` are not
/// managed. Cards are compared after the API's normalisation, without the proxy-rewritten fields.
extension AgentProviderKind: KindPlanning {
    /// The agent API's default `auto_stop_timeout_sec` on create.
    static let defaultAutoStopTimeoutSec = 1200

    package static var desiredObjects: WritableKeyPath<DesiredState, [DesiredAgentProvider]> { \.agentProviders }
    package static var pairing: WritableKeyPath<Reconciliation, Pairing<AgentProviderKind>> { \.agentProviders }

    package static func resolve(_ spec: AgentProviderManifest, at location: SourceLocation,
                                resolver: inout ValueResolver) -> DesiredAgentProvider {
        let source = (try? AgentLocation.parse(spec.location).get())?.normalized ?? spec.location
        return DesiredAgentProvider(
            manifest: spec, location: location, source: source,
            variables: spec.variables.map { resolver.resolve($0, field: "variables", policy: spec.policy) }
        )
    }

    package static func index(_ live: [LiveAgentProvider]) -> AgentProviderIndex {
        AgentProviderIndex(byOrigin: Dictionary(grouping: live, by: \.origin),
                           bySource: Dictionary(live.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    package static func match(_ desired: DesiredAgentProvider, in index: AgentProviderIndex) -> LiveAgentProvider? {
        let candidates = index.byOrigin[desired.origin] ?? []
        return candidates.first { $0.source == desired.source } ?? candidates.min { $0.id < $1.id }
            ?? index.bySource[desired.source]
    }

    /// Variables are read only for providers whose manifest manages them.
    package static func needsDetails(_ desired: DesiredAgentProvider) -> Bool {
        desired.manifest.variables != nil
    }

    package static func fingerprint(_ live: LiveAgentProvider, digester: Digester) -> String {
        fingerprint(live, card: live.agentCard.map(AgentCardRules.comparable), digester: digester)
    }

    /// `card` is the live card as `AgentCardRules.comparable` makes it.
    private static func fingerprint(_ live: LiveAgentProvider, card: JSONValue?, digester: Digester) -> String {
        digester.digest(fields(live, card: card))
    }

    /// `PlannedChange.savedFingerprint`: the live fields without the ignored ones; without a key, a variable is
    /// a placeholder when the manifest has it sensitive, or lacks it (it may well hold a secret), and so are
    /// card fields under `policy.sensitive`. `card` as for `fingerprint`.
    private static func savedFingerprint(_ live: LiveAgentProvider, card: JSONValue?, of desired: DesiredAgentProvider,
                                         digester: Digester) -> String {
        let policy = desired.manifest.policy
        let recorded = digester.recorded(fields(live, card: card), ignore: policy.ignore) { path in
            let key = path.hasPrefix("variables.") ? String(path.dropFirst("variables.".count)) : nil
            return key.map { desired.variables?[$0]?.isSensitive ?? true } ?? false
                || PathPattern.matchesAny(policy.sensitive, path: path)
        }
        return digester.digest(recorded ?? .null)
    }

    /// The fields of a live provider, by their manifest paths (its `source` is the `location`).
    private static func fields(_ live: LiveAgentProvider, card: JSONValue?) -> JSONValue {
        JSONValue.object([
            "id": .string(live.id), "location": .string(live.source), "origin": .string(live.origin),
            "agent_card": card ?? .null,
            "auto_stop_timeout_sec": live.autoStopTimeoutSec.map(JSONValue.integer) ?? .null,
            "variables": live.variables.map { .object($0.mapValues(JSONValue.string)) } ?? .null,
        ])
    }

    package static func describe(_ desired: DesiredAgentProvider, digester: Digester) -> JSONValue {
        let manifest = desired.manifest
        let sensitive = manifest.policy.sensitive
        return JSONValue.object([
            "address": .string(manifest.address.description),
            "location": .string(manifest.location),
            "origin_pinned": .bool(manifest.originIsPinned),
            "auto_stop_timeout_sec": manifest.autoStopTimeoutSec.map(JSONValue.integer) ?? .null,
            "variables": desired.variables.map {
                .object($0.mapValues { digester.recorded($0.text, secret: $0.isSensitive) })
            } ?? .null,
            "agent_card": manifest.agentCard.flatMap {
                digester.recorded($0, at: "agent_card", ignore: []) { PathPattern.matchesAny(sensitive, path: $0) }
            } ?? .null,
            "policy": .array((manifest.policy.ignore + ["|"] + manifest.policy.sensitive).map(JSONValue.string)),
        ])
    }

    /// Unhealthy in state `error`, or with required variables missing.
    package static func health(_ live: LiveAgentProvider) -> String? {
        if live.state == "error" {
            return "error" + (live.lastError.map { ": \($0)" } ?? "")
        }
        if !live.missingConfiguration.isEmpty {
            return "missing configuration: \(live.missingConfiguration.joined(separator: ", "))"
        }
        return nil
    }

    package static func plan(_ desired: DesiredAgentProvider, live: LiveAgentProvider?, context: PlanningContext)
        -> PlanningOutcome<AgentProviderOperation> {
        let manifest = desired.manifest
        let policy = manifest.policy
        let digester = context.digester
        var differences: [FieldDifference] = []
        func add(_ path: String, _ before: PlanValue, _ after: PlanValue) {
            guard !PathPattern.matchesAny(policy.ignore, path: path) else { return }
            differences.append(FieldDifference(path: path, before: before, after: after))
        }
        let liveSource = live?.source
        if liveSource != desired.source {
            add("location", liveSource.map { .value(.string($0)) } ?? .absent, .value(.string(desired.source)))
        }
        if let liveOrigin = live?.origin, liveOrigin != desired.origin {
            add("origin", .value(.string(liveOrigin)), .value(.string(desired.origin)))
        } else if live == nil && manifest.originIsPinned {
            add("origin", .absent, .value(.string(manifest.origin)))
        }
        let timeout = manifest.autoStopTimeoutSec ?? defaultAutoStopTimeoutSec
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
        // The live card's comparable form, made once when the diff needs it, and for the fingerprints only when
        // they are made.
        let cardManaged = manifest.agentCard != nil
        let liveCard = cardManaged ? live?.agentCard.map(AgentCardRules.comparable) : nil
        func comparableCard(_ live: LiveAgentProvider) -> JSONValue? {
            cardManaged ? liveCard : live.agentCard.map(AgentCardRules.comparable)
        }
        var cardChanged = false
        // PATCH replaces the whole card: the desired card keeps the live values at ignored card paths.
        let wantedCard = manifest.agentCard.map { AgentCardRules.keepingIgnored(policy.ignore, from: live?.agentCard, in: $0) }
        if let card = wantedCard {
            for leaf in JSONDiff.differences(at: "agent_card", before: liveCard, after: AgentCardRules.comparable(card))
            where !PathPattern.matchesAny(policy.ignore, path: leaf.path) {
                let sensitive = PathPattern.touchesAny(policy.sensitive, path: leaf.path)
                add(leaf.path, digester.value(leaf.before, sensitive: sensitive),
                    digester.value(leaf.after, sensitive: sensitive))
                cardChanged = true
            }
        }
        guard let live else {
            guard !differences.isEmpty else { return .unchanged(fingerprint: nil) }
            let change = PlannedChange(address: manifest.address, action: .create, reason: "no provider with this origin",
                                       manifest: desired.location, differences: differences, liveFingerprint: nil)
            return .change(change, .create(AgentProviderCreate(request: desired.wholeProvider, source: desired.source,
                                                               origin: desired.origin)))
        }
        guard !differences.isEmpty else {
            return .unchanged(fingerprint: context.recordsDigests
                ? savedFingerprint(live, card: comparableCard(live), of: desired, digester: digester) : nil)
        }
        // Only fields whose difference is planned (not ignored) are sent. The server recomputes a missing origin
        // from the location, so a pinned one is always sent, and so is one that differs (an empty PATCH would
        // change nothing).
        let planned = Set(differences.map(\.path))
        var request = AgentProviderRequest(
            origin: manifest.originIsPinned || planned.contains("origin") ? desired.origin : nil)
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
        let card = comparableCard(live)
        let change = PlannedChange(
            address: manifest.address, action: .update, reason: "\(fields.sorted().joined(separator: ", ")) changed",
            manifest: desired.location, differences: differences,
            liveFingerprint: fingerprint(live, card: card, digester: digester.withoutKey),
            savedFingerprint: savedFingerprint(live, card: card, of: desired, digester: digester), refusal: refusal
        )
        let update = AgentProviderUpdate(id: live.id, source: desired.source, request: request, wholeProvider: desired.wholeProvider,
                                         readsVariables: needsDetails(desired))
        return .change(change, .update(update))
    }
}
