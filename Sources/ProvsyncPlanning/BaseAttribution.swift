import ProvsyncModel

/// `plan --base`: marks each change of the head plan as pre-existing (the base's manifests, planned against
/// the same live state, give the same change) or as introduced by the change under review.
package enum BaseAttribution {
    package static func attribute(_ head: Plan, base: Plan) -> Plan {
        let baseChanges = Dictionary(base.changes.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        var attributed = head
        attributed.changes = head.changes.map { change in
            var change = change
            let before = baseChanges[change.address]
            change.isPreExisting = before?.action == change.action && before?.differences == change.differences
            return change
        }
        return attributed
    }
}
