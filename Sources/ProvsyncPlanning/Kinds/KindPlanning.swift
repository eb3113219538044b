import ProvsyncModel

/// What planning needs from a resource kind: resolving a manifest's values, the rule that pairs desired and
/// live objects, the comparison that turns a pair into a change, the fingerprint of a live object, its
/// health, and the description of its desired state for saved plans. Pure.
package protocol KindPlanning: ResourceKind {
    /// A manifest of the kind with its values resolved.
    associatedtype Desired: DesiredObject
    /// The kind's live objects, indexed for `match`.
    associatedtype LiveIndex

    /// Where a desired state keeps the kind's objects.
    static var desiredObjects: WritableKeyPath<DesiredState, [Desired]> { get }
    /// Where a reconciliation keeps the kind's pairs.
    static var pairing: WritableKeyPath<Reconciliation, Pairing<Self>> { get }

    /// The spec with its `${env:…}` references resolved; unset variables are added to `resolver`'s problems.
    static func resolve(_ spec: Spec, at location: SourceLocation, resolver: inout ValueResolver) -> Desired

    static func index(_ live: [Live]) -> LiveIndex
    /// The live object `desired` manages, by the kind's one pairing rule.
    static func match(_ desired: Desired, in index: LiveIndex) -> Live?
    /// Whether planning needs the paired live object's details (an agent provider's variables), which are
    /// read after pairing and only for the objects that need them.
    static func needsDetails(_ desired: Desired) -> Bool

    /// The change that makes `live` (nil: absent) equal to `desired`, or what a saved plan records of the
    /// unchanged object.
    static func plan(_ desired: Desired, live: Live?, context: PlanningContext) -> PlanningOutcome<Operation>
    /// A digest of the live object's compared fields, as plans record it.
    static func fingerprint(_ live: Live, digester: Digester) -> String
    /// The desired state as canonical JSON, for a saved plan's desired digest; secrets as
    /// `digester.recorded` keeps them.
    static func describe(_ desired: Desired, digester: Digester) -> JSONValue
    /// Why the live object is unhealthy, or nil when it is not.
    static func health(_ live: Live) -> String?
}

/// A resolved manifest: what every kind's desired object has. Equal objects have equal descriptions.
package protocol DesiredObject: Sendable, Equatable {
    var address: ResourceAddress { get }
    /// Where the manifest's document starts.
    var location: SourceLocation { get }
    var policy: ManifestPolicy { get set }
}

/// What planning one desired object gives.
package enum PlanningOutcome<Operation: Sendable>: Sendable {
    case change(PlannedChange, Operation)
    /// Nothing to do; the live object's fingerprint when the plan records it.
    case unchanged(fingerprint: String?)
}

/// Choices and tools shared by every kind's planner.
package struct PlanningContext: Sendable {
    package var digester: Digester
    package var allowReplace: Bool
    package var recordsDigests: Bool
}

extension ManifestKind {
    /// The kind's planner. A new kind adds its case here.
    package var planning: any KindPlanning.Type {
        switch self {
        case .installation: InstallationKind.self
        case .agentProvider: AgentProviderKind.self
        }
    }
}

/// Every desired object, by kind, the objects manifests want deleted, and `prune:`.
package struct DesiredState: Sendable {
    package var installations: [DesiredInstallation] = []
    package var agentProviders: [DesiredAgentProvider] = []
    /// Manifests with `ensure: absent`, every kind.
    package var absent: [AbsentObject] = []
    /// `prune:` of `provsync.yaml`; nil: no live object without a manifest is deleted.
    package var prune: PruneRules?
    /// Where each layered manifest's fields were set, by address (manifests of one document are left out).
    package var layerSources: [ResourceAddress: LayerSources] = [:]

    package init() {}
}

/// Where environment layers set a manifest's values: the documents merged, and each field's.
package struct LayerSources: Sendable, Hashable {
    package var layers: [SourceLocation]
    /// Dotted path → where its value was set (`version`, `config.KEY`).
    package var fields: [String: SourceLocation]

    /// Where the value at `path` (a difference's path) was set: the path itself or the nearest field above it.
    package func location(of path: String) -> SourceLocation? {
        var candidate = Substring(path)
        while true {
            if let location = fields[String(candidate)] { return location }
            guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            candidate = candidate[..<cut]
        }
    }
}

/// A manifest with `ensure: absent`: the object it names is deleted when it exists.
package struct AbsentObject: Sendable, Hashable {
    package var address: ResourceAddress
    /// Where the manifest's document starts.
    package var location: SourceLocation
    /// `policy.cascade`.
    package var cascade: Bool
}

/// Why a live object is deleted.
package enum DeletionReason: Sendable, Hashable {
    /// A manifest says `ensure: absent`.
    case ensureAbsent(AbsentObject)
    /// No manifest names it, and a `prune.owns` pattern covers it.
    case owned(by: Located<String>)

    /// Where the reason is written: the manifest, or the `prune.owns` pattern in `provsync.yaml`.
    package var location: SourceLocation {
        switch self {
        case .ensureAbsent(let absent): absent.location
        case .owned(let pattern): pattern.location
        }
    }

    /// `ensure: absent at manifests/x.yaml:1:1`, or `no manifest; owned by prune.owns "installation/acme/*" at
    /// provsync.yaml:3:10`.
    package var description: String {
        switch self {
        case .ensureAbsent(let absent): "ensure: absent at \(absent.location)"
        case .owned(let pattern): "no manifest; owned by prune.owns \"\(pattern.value)\" at \(pattern.location)"
        }
    }

    /// Whether the manifest asks for its dependants to go too.
    var cascade: Bool {
        switch self {
        case .ensureAbsent(let absent): absent.cascade
        case .owned: false
        }
    }
}

/// A live object to delete, why, and the `prune.protect` pattern that forbids it (which wins).
package struct Deletion<Live: Sendable & Hashable>: Sendable {
    package var live: Live
    package var reason: DeletionReason
    package var protectedBy: Located<String>?
}

/// Desired and live objects paired by each kind's rule, by kind.
package struct Reconciliation: Sendable {
    package var installations = Pairing<InstallationKind>()
    package var agentProviders = Pairing<AgentProviderKind>()
    /// Live objects two manifests claim: one error each, naming both manifests.
    package var conflicts: [Diagnostic] = []
    /// Live objects an API listed more than once: one warning each (the first listed is the one paired).
    package var liveDuplicates: [Diagnostic] = []
    /// The manifests with `ensure: absent`, `prune:` and the layers' sources, as the desired state had them.
    package var absent: [AbsentObject] = []
    package var prune: PruneRules?
    package var layerSources: [ResourceAddress: LayerSources] = [:]

    package init() {}
}
