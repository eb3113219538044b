import ProvsyncModel

extension KindPlanning {
    /// A `delete` for each targeted live object the reconciliation marked for deletion, with the reason and
    /// the manifest or `prune.owns` pattern behind it; a protected one carries its refusal.
    static func deletions(in reconciliation: Reconciliation, options: PlanningOptions,
                          context: PlanningContext) -> [(PlannedChange, PlannedOperation)] {
        reconciliation[keyPath: pairing].deletions.filter { options.isTargeted(address(of: $0.live)) }.map { marked in
            let live = marked.live
            let refusal = marked.protectedBy.map { pattern in
                "protected by prune.protect \"\(pattern.value)\" (\(pattern.location)): provsync never deletes it; "
                    + "remove the pattern from provsync.yaml to allow the delete"
            }
            let change = PlannedChange(
                address: address(of: live), action: .delete, reason: marked.reason.description,
                manifest: marked.reason.location, differences: [],
                liveFingerprint: fingerprint(live, digester: context.digester.withoutKey),
                savedFingerprint: context.recordsDigests ? context.digester.digest("delete \(identity(of: live))") : nil,
                refusal: refusal
            )
            return (change, planned(deletion(of: live, cascade: options.cascade || marked.reason.cascade)))
        }
    }
}

/// The guard on deletes: a plan with more than `limit` of them is refused as a whole, before any write,
/// so a wrong path or a bad `prune.owns` cannot empty a platform.
struct DeletionBudget {
    var limit: Int
    /// Whether `--max-deletes` set the limit (the message then does not suggest it).
    var overridden: Bool

    func refusal(of changes: [PlannedChange]) -> String? {
        let deletes = changes.filter { $0.action == .delete }
        guard deletes.count > limit else { return nil }
        let listed = deletes.prefix(20).map(\.address.description).joined(separator: ", ")
            + (deletes.count > 20 ? ", and \(deletes.count - 20) more" : "")
        let advice = overridden ? "" : "; if every one is meant, pass --max-deletes \(deletes.count) (or raise "
            + "prune.max_deletes in provsync.yaml)"
        return "the plan deletes \(deletes.count) objects, more than the limit of \(limit), so nothing is applied: "
            + listed + advice
    }
}
