/// What apply does to one object. The order is the spec's table, which summaries follow.
package enum PlanAction: String, Sendable, Hashable, Codable, CaseIterable {
    case install, upgrade, downgrade, replace, create, update, delete

    /// The marker in text plans: `+` creates, `~` changes in place, `-/+` uninstalls and installs again,
    /// `-` deletes.
    package var symbol: String {
        switch self {
        case .install, .create: "+"
        case .upgrade, .downgrade, .update: "~"
        case .replace: "-/+"
        case .delete: "-"
        }
    }

    /// `to install`, as in `Plan: 2 to install.`
    package var summaryPhrase: String { "to \(rawValue)" }
}

/// One side of a field difference.
package enum PlanValue: Sendable, Hashable, Codable {
    /// Not set (the object or the field does not exist on that side).
    case absent
    case value(JSONValue)
    /// A secret: only a digest is kept (`Digester`), so a plan can tell a change without holding it.
    case sensitive(digest: String)

    /// The placeholder every output shows instead of a secret.
    package static let redacted = "(sensitive)"

    /// Whether this side is a secret, shown as `redacted`.
    package var isSensitive: Bool {
        if case .sensitive = self { true } else { false }
    }
}

/// One field that differs. `before` is the live value, `after` the desired one; for an install or create,
/// `before` is `.absent` for every field.
package struct FieldDifference: Sendable, Hashable, Codable {
    /// Dotted: `config.DB_PASSWORD`, `agent_card.skills[0].name`.
    package var path: String
    package var before: PlanValue
    package var after: PlanValue
    /// For a manifest patched by environment layers: the layer file and line that set the desired value.
    package var setAt: SourceLocation?

    package init(path: String, before: PlanValue, after: PlanValue, setAt: SourceLocation? = nil) {
        self.path = path
        self.before = before
        self.after = after
        self.setAt = setAt
    }

    /// Whether either side is a secret (JSON marks the difference `"sensitive": true`).
    package var isRedacted: Bool { before.isSensitive || after.isSensitive }
}

/// One change of a plan.
package struct PlannedChange: Sendable, Hashable, Codable {
    package var address: ResourceAddress
    package var action: PlanAction
    /// Why, in a few words: `not installed`, `version 1.4.0 → 1.4.2`, `config differs`.
    package var reason: String
    /// The manifest's file and the line its document starts on.
    package var manifest: SourceLocation
    package var differences: [FieldDifference]
    /// A digest of the live object the change was computed from, which apply compares just before the first
    /// write; nil when the object did not exist. Salted but not keyed: it never leaves the process.
    package var liveFingerprint: String?
    /// What a saved plan records of the live object to tell a stale plan: its digest without the
    /// `policy.ignore` paths, keyed, or without a key leaving secrets out; nil when the object did not exist.
    package var savedFingerprint: String?
    /// Why apply will not carry the change out (a replace without permission, a registry provider);
    /// nil when it may.
    package var refusal: String?
    /// The layer documents the manifest was merged from, in order, when environment layers patched it;
    /// empty for a manifest of one document.
    package var layers: [SourceLocation] = []
    /// With `plan --base`: true when the same change is also planned from the base's manifests (drift
    /// that was there before this change), false when this change introduces it; nil without a base.
    package var isPreExisting: Bool?

    package init(
        address: ResourceAddress, action: PlanAction, reason: String, manifest: SourceLocation,
        differences: [FieldDifference], liveFingerprint: String?, savedFingerprint: String? = nil,
        refusal: String? = nil
    ) {
        self.address = address
        self.action = action
        self.reason = reason
        self.manifest = manifest
        self.differences = differences
        self.liveFingerprint = liveFingerprint
        self.savedFingerprint = savedFingerprint
        self.refusal = refusal
    }
}

/// What apply would do: the changes, in address order, the live objects no manifest manages, and where the
/// manifests came from. Holds no secret value: sensitive values are digests.
package struct Plan: Sendable, Hashable, Codable {
    /// The `format_version` of the JSON plan (`plan --format json`) and of drift reports.
    package static let formatVersion = "1"
    /// The `format_version` of saved plans (`plan --out`): 2 has keyed digests and a seal.
    package static let savedFormatVersion = "2"

    package var source: ManifestSource
    package var changes: [PlannedChange]
    /// Live objects with no manifest; never touched.
    package var unmanaged: [ResourceAddress]
    /// A digest of every managed object's desired state (secrets as digests), to tell a stale saved plan.
    package var desiredDigest: String
    /// Fingerprints of the managed live objects that need no change, so a saved plan also goes stale when
    /// one of them changes.
    package var unchangedFingerprints: [String: String]
    /// The salt of every digest in this plan.
    package var salt: String
    /// The key of its digests and of its saved file's seal (derived with `salt`); nil without key material.
    /// Never encoded.
    package var key: PlanKey? = nil
    /// Why apply refuses the whole plan, before any write (more deletes than `max_deletes`); nil when it
    /// may run.
    package var refusal: String? = nil
    /// `plan --changed-only`: the addresses whose manifests the change touches, the only objects planned and
    /// read in detail; nil for a plan of everything.
    package var scope: [ResourceAddress]? = nil

    package init(
        source: ManifestSource, changes: [PlannedChange], unmanaged: [ResourceAddress], desiredDigest: String,
        unchangedFingerprints: [String: String] = [:], salt: String, key: PlanKey? = nil
    ) {
        self.source = source
        self.changes = changes
        self.unmanaged = unmanaged
        self.desiredDigest = desiredDigest
        self.unchangedFingerprints = unchangedFingerprints
        self.salt = salt
        self.key = key
    }

    private enum CodingKeys: String, CodingKey {
        case source, changes, unmanaged, desiredDigest, unchangedFingerprints, salt, refusal, scope
    }

    /// How many changes of each action, in the table's order, leaving out actions that do not occur.
    package var summary: [(action: PlanAction, count: Int)] {
        PlanAction.allCases.compactMap { action in
            let count = changes.count { $0.action == action }
            return count > 0 ? (action, count) : nil
        }
    }

    /// `No changes.` or `Plan: 2 to install, 1 to upgrade, 3 to update.`
    package var summaryLine: String {
        let parts = summary.map { "\($0.count) \($0.action.summaryPhrase)" }
        return parts.isEmpty ? "No changes." : "Plan: \(parts.joined(separator: ", "))."
    }

    package var hasChanges: Bool { !changes.isEmpty }

    /// Whether apply would refuse anything: the whole plan, or one of its changes.
    package var hasRefusals: Bool { refusal != nil || changes.contains { $0.refusal != nil } }
}
