import ProvsyncModel

extension Plan {
    /// The plan a plan file describes, for the renderers (`provsync show`): what the file says of each change,
    /// its unmanaged objects, its source, a refusal of the whole plan and the scope of a `--changed-only` plan
    /// (so the rendering says the plan was scoped). Secrets stay redacted (the file holds none) and no digest is
    /// carried, so the result can be rendered but not applied. A side written `null` reads as absent, as
    /// renderers show a missing field.
    package init(rendering file: PlanFile) throws(SavedPlanError) {
        var changes: [PlannedChange] = []
        for change in file.changes {
            guard let address = ResourceAddress(parsing: change.address) else {
                throw SavedPlanError("the plan names \(change.address), which is not a provsync address")
            }
            guard let action = PlanAction(rawValue: change.action) else {
                throw SavedPlanError("the plan's change of \(change.address) is \"\(change.action)\", an action this "
                                     + "provsync does not know")
            }
            var planned = PlannedChange(
                address: address, action: action, reason: change.reason,
                manifest: SourceLocation(file: change.manifest.file, line: change.manifest.line, column: 1),
                differences: change.differences.map { difference in
                    FieldDifference(path: difference.path, before: Self.side(difference.before, difference.sensitive),
                                    after: Self.side(difference.after, difference.sensitive))
                },
                liveFingerprint: nil, refusal: change.refused
            )
            planned.isPreExisting = change.preExisting
            changes.append(planned)
        }
        var unmanaged: [ResourceAddress] = []
        for object in file.unmanaged {
            guard let address = ResourceAddress(parsing: object.address) else {
                throw SavedPlanError("the plan names \(object.address), which is not a provsync address")
            }
            unmanaged.append(address)
        }
        self.init(
            source: ManifestSource(repository: file.source.repo, ref: file.source.ref, commit: file.source.commit,
                                   isWorkingTree: file.source.worktree, environment: file.source.environment),
            changes: changes, unmanaged: unmanaged, desiredDigest: file.saved?.desiredDigest ?? "",
            salt: file.saved?.salt ?? ""
        )
        refusal = file.refused
        scope = try file.scope()?.sorted()
    }

    /// One side of a difference as the file writes it: `null` is absent, `"(sensitive)"` a secret unless the
    /// difference says it holds none (files written before the `sensitive` mark have no mark at all).
    private static func side(_ value: JSONValue, _ sensitive: Bool?) -> PlanValue {
        switch value {
        case .null: .absent
        case .string(PlanValue.redacted) where sensitive != false: .sensitive(digest: "")
        default: .value(value)
        }
    }
}
