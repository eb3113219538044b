import Foundation
import ProvsyncModel

/// The plan as the spec's JSON (`--format json`), and the saved plan (`--out`), which adds what apply
/// needs to tell whether the plan went stale. Secrets are `"(sensitive)"` in both.
package enum PlanJSONRenderer {
    package static func render(_ plan: Plan) throws -> String {
        try encode(document(plan, saved: nil))
    }

    /// The saved-plan file: the JSON plan plus fingerprints and digests (salted, never a secret value).
    package static func renderSaved(_ plan: Plan, targets: [String], allowReplace: Bool) throws -> String {
        try encode(document(plan, saved: (targets, allowReplace)))
    }

    /// The plan document; `saved` adds what a saved plan keeps (and the options it was made with).
    static func document(_ plan: Plan, saved: (targets: [String], allowReplace: Bool)?) -> JSONValue {
        var summary: [String: JSONValue] = [:]
        for action in PlanAction.allCases {
            summary[action.rawValue] = .integer(plan.changes.count { $0.action == action })
        }
        var document: [String: JSONValue] = [
            "format_version": .string(Plan.formatVersion),
            "source": source(plan.source),
            "summary": .object(summary),
            "changes": .array(plan.changes.map { change($0, saved: saved != nil) }),
            "unmanaged": .array(plan.unmanaged.map { ["address": .string($0.description)] }),
        ]
        if let saved {
            document["saved"] = [
                "salt": .string(plan.salt),
                "desired_digest": .string(plan.desiredDigest),
                "unchanged_fingerprints": .object(plan.unchangedFingerprints.mapValues(JSONValue.string)),
                "targets": .array(saved.targets.map(JSONValue.string)),
                "allow_replace": .bool(saved.allowReplace),
            ]
        }
        return .object(document)
    }

    static func source(_ source: ManifestSource) -> JSONValue {
        [
            "repo": .string(source.repository),
            "ref": .string(source.ref),
            "commit": source.commit.map(JSONValue.string) ?? .null,
            "worktree": .bool(source.isWorkingTree),
        ]
    }

    private static func change(_ change: PlannedChange, saved: Bool) -> JSONValue {
        var object: [String: JSONValue] = [
            "address": .string(change.address.description),
            "kind": .string(change.address.kind.rawValue),
            "action": .string(change.action.rawValue),
            "reason": .string(change.reason),
            "manifest": ["file": .string(change.manifest.file), "line": .integer(change.manifest.line)],
            "differences": .array(change.differences.map { difference in
                ["path": .string(difference.path), "before": value(difference.before), "after": value(difference.after)]
            }),
        ]
        if let refusal = change.refusal {
            object["refused"] = .string(refusal)
        }
        if let isPreExisting = change.isPreExisting {
            object["pre_existing"] = .bool(isPreExisting)
        }
        if saved {
            object["live_fingerprint"] = change.liveFingerprint.map(JSONValue.string) ?? .null
        }
        return .object(object)
    }

    /// `null` for absent, the value itself, or `"(sensitive)"`.
    static func value(_ value: PlanValue) -> JSONValue {
        switch value {
        case .absent: .null
        case .value(let json): json
        case .sensitive: .string(PlanValue.redacted)
        }
    }

    static func encode(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
