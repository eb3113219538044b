import ProvsyncModel

/// One kind's desired objects paired with its live ones: every desired object in manifest order with the
/// live object it manages (nil when there is none), and the live objects no desired object manages.
package struct Pairing<Kind: KindPlanning>: Sendable {
    package struct Pair: Sendable {
        package var desired: Kind.Desired
        package var live: Kind.Live?
    }

    package var pairs: [Pair] = []
    /// Live objects no manifest manages: listed as unmanaged, never touched.
    package var liveOnly: [Kind.Live] = []
    /// Live objects a manifest with `ensure: absent` names, or that `prune.owns` covers with no manifest.
    package var deletions: [Deletion<Kind.Live>] = []

    package init() {}

    /// The desired objects with no live object.
    package var desiredOnly: [Kind.Desired] { pairs.filter { $0.live == nil }.map(\.desired) }
}

/// Pairs desired objects with live ones, once, for every stage: the live read (which reads details only for
/// paired objects), planning, drift and apply's checks all use the pairs made here. Each kind has one
/// matching rule (`KindPlanning.match`); a live object is never managed by two manifests: a second claim is an
/// error naming both.
package enum Reconciler {
    /// The identities (ids) of the live objects of `kind` in `listed` whose details (variables) the desired
    /// objects need, within `scope` when given: which details to read, before the pairing of the whole read.
    package static func identitiesNeedingDetails(of kind: ManifestKind, desired: DesiredState, listed: LiveSnapshot,
                                                 scope: Set<ResourceAddress>? = nil) -> Set<String> {
        kind.planning.identitiesNeedingDetails(desired: desired, listed: listed, scope: scope)
    }

    /// Pairs the objects of `kinds` (every kind by default); the other kinds' pairings stay empty.
    package static func reconcile(_ desired: DesiredState, with live: LiveSnapshot,
                                  kinds: [ManifestKind] = ManifestKind.allCases) -> Reconciliation {
        var reconciliation = Reconciliation()
        reconciliation.absent = desired.absent
        reconciliation.prune = desired.prune
        reconciliation.layerSources = desired.layerSources
        for kind in kinds {
            kind.planning.pair(desired, live, into: &reconciliation)
        }
        reconciliation.conflicts = Diagnostic.sortedByLocation(reconciliation.conflicts)
        return reconciliation
    }
}

extension KindPlanning {
    static func pair(_ desired: DesiredState, _ live: LiveSnapshot, into reconciliation: inout Reconciliation) {
        let objects = live[keyPath: liveObjects]
        var listedOnce: Set<String> = []
        var listedAgain: Set<String> = []
        for object in objects {
            let key = identity(of: object)
            guard !listedOnce.insert(key).inserted, listedAgain.insert(key).inserted else { continue }
            reconciliation.liveDuplicates.append(.warning(
                "\(kind.api.displayName) listed \(address(of: object)) (\(key)) more than once; the first row listed is "
                    + "the one compared with the manifests"))
        }
        let index = index(objects)
        var pairing = Pairing<Self>()
        var claimedBy: [String: Desired] = [:]
        for item in desired[keyPath: desiredObjects] {
            var match = match(item, in: index)
            if let found = match {
                let identity = identity(of: found)
                if let first = claimedBy[identity] {
                    reconciliation.conflicts.append(.error(
                        "\(item.address) and \(first.address) (\(first.location)) both match the live "
                            + "\(kind.rawValue) \(identity) (\(address(of: found))); a live object is managed by one "
                            + "manifest: change the location or origin of one of them",
                        at: item.location))
                    match = nil
                } else {
                    claimedBy[identity] = item
                }
            }
            pairing.pairs.append(Pairing<Self>.Pair(desired: item, live: match))
        }
        let absent = Dictionary(desired.absent.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        let prunes = desired.prunesLiveObjects
        var deleted: Set<String> = []
        for object in objects where claimedBy[identity(of: object)] == nil {
            let address = address(of: object)
            let reason: DeletionReason? = if let manifest = absent[address] {
                .ensureAbsent(manifest)
            } else if prunes, let owner = desired.prune?.owner(of: address) {
                .owned(by: owner)
            } else {
                nil
            }
            guard let reason else {
                pairing.liveOnly.append(object)
                continue
            }
            guard deleted.insert(identity(of: object)).inserted else { continue }
            pairing.deletions.append(Deletion(live: object, reason: reason,
                                              protectedBy: desired.prune?.protector(of: address)))
        }
        reconciliation[keyPath: self.pairing] = pairing
    }

    /// The identities of the live objects in `listed` that the desired objects needing details (within `scope`
    /// when given) pair with, by the kind's one rule (`match`): what a full pairing's
    /// `identitiesNeedingDetails` gives, without pairing every listed object. Two manifests claiming one live
    /// object both count here; the pairing after the read reports that conflict.
    static func identitiesNeedingDetails(desired: DesiredState, listed: LiveSnapshot,
                                         scope: Set<ResourceAddress>?) -> Set<String> {
        let wanted = desired[keyPath: desiredObjects].filter { object in
            needsDetails(object) && scope?.contains(object.address) != false
        }
        guard !wanted.isEmpty else { return [] }
        let index = index(listed[keyPath: liveObjects])
        return Set(wanted.compactMap { match($0, in: index).map(identity(of:)) })
    }

    /// The identities of the paired live objects whose details planning needs (within `scope` when given).
    static func identitiesNeedingDetails(in reconciliation: Reconciliation, scope: Set<ResourceAddress>?) -> Set<String> {
        Set(reconciliation[keyPath: pairing].pairs.compactMap { pair in
            guard let live = pair.live, needsDetails(pair.desired),
                  scope?.contains(pair.desired.address) != false else { return nil }
            return identity(of: live)
        })
    }
}

extension Reconciliation {
    /// The identities (ids) of the paired live objects of `kind` whose details (variables) must be read; with
    /// `scope`, only of the objects at those addresses.
    package func identitiesNeedingDetails(of kind: ManifestKind, scope: Set<ResourceAddress>? = nil) -> Set<String> {
        kind.planning.identitiesNeedingDetails(in: self, scope: scope)
    }

    /// Live objects to delete, every kind, in address order.
    package var deletions: [ResourceAddress] {
        ManifestKind.allCases.flatMap { $0.planning.deletions(in: self) }.sorted()
    }

    /// Live objects no manifest manages, every kind, in address order.
    package var unmanaged: [ResourceAddress] {
        Set(ManifestKind.allCases.flatMap { $0.planning.unmanaged(in: self) }).sorted()
    }
}

extension KindPlanning {
    static func unmanaged(in reconciliation: Reconciliation) -> [ResourceAddress] {
        reconciliation[keyPath: pairing].liveOnly.map(address(of:))
    }

    static func deletions(in reconciliation: Reconciliation) -> [ResourceAddress] {
        reconciliation[keyPath: pairing].deletions.map { address(of: $0.live) }
    }
}
