import Foundation
import ProvsyncModel

/// A plan read back from `plan --out`: what apply needs to recompute it and to tell whether it went stale.
package struct SavedPlan: Sendable, Equatable {
    package struct Change: Sendable, Hashable {
        package var address: String
        package var action: String
        package var liveFingerprint: String?
    }

    package var commit: String?
    package var ref: String
    package var isWorkingTree: Bool
    package var salt: String
    package var desiredDigest: String
    package var unchangedFingerprints: [String: String]
    package var changes: Set<Change>
    package var targets: [String]
    package var allowReplace: Bool

    /// Reads a saved plan; the error says what is wrong with the file.
    package static func read(_ data: Data) throws(SavedPlanError) -> SavedPlan {
        let file: SavedPlanFile
        do {
            file = try JSONDecoder().decode(SavedPlanFile.self, from: data)
        } catch {
            throw SavedPlanError("not a saved provsync plan (write one with `provsync plan --out FILE`)")
        }
        guard file.formatVersion == Plan.formatVersion else {
            throw SavedPlanError("saved plan has format_version \(file.formatVersion); this provsync reads \(Plan.formatVersion)")
        }
        guard let saved = file.saved else {
            throw SavedPlanError("this is a plan printed with --format json, not a saved plan; save one with --out")
        }
        return SavedPlan(
            commit: file.source.commit, ref: file.source.ref, isWorkingTree: file.source.worktree ?? false,
            salt: saved.salt, desiredDigest: saved.desiredDigest, unchangedFingerprints: saved.unchangedFingerprints,
            changes: Set(file.changes.map { Change(address: $0.address, action: $0.action, liveFingerprint: $0.liveFingerprint) }),
            targets: saved.targets ?? [], allowReplace: saved.allowReplace ?? false
        )
    }

    /// Why `plan`, recomputed now, is not the saved one; nil when it is the same.
    package func staleness(comparedWith plan: Plan) -> String? {
        if plan.desiredDigest != desiredDigest {
            return "the manifests or the environment variables they read have changed"
        }
        let now = Set(plan.changes.map {
            Change(address: $0.address.description, action: $0.action.rawValue, liveFingerprint: $0.liveFingerprint)
        })
        if now != changes {
            let moved = now.symmetricDifference(changes).map(\.address).sorted()
            return "live state changed for \(Set(moved).sorted().joined(separator: ", "))"
        }
        if plan.unchangedFingerprints != unchangedFingerprints {
            let moved = Set(plan.unchangedFingerprints.keys).union(unchangedFingerprints.keys)
                .filter { plan.unchangedFingerprints[$0] != unchangedFingerprints[$0] }.sorted()
            return "live state changed for \(moved.joined(separator: ", "))"
        }
        return nil
    }
}

/// Why a saved plan cannot be used.
package struct SavedPlanError: Error, Sendable, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}

/// The saved-plan file as written by `PlanJSONRenderer.renderSaved`.
private struct SavedPlanFile: Decodable {
    struct Source: Decodable {
        var ref: String
        var commit: String?
        var worktree: Bool?
    }
    struct Change: Decodable {
        var address: String
        var action: String
        var liveFingerprint: String?
        enum CodingKeys: String, CodingKey { case address, action, liveFingerprint = "live_fingerprint" }
    }
    struct Saved: Decodable {
        var salt: String
        var desiredDigest: String
        var unchangedFingerprints: [String: String]
        var targets: [String]?
        var allowReplace: Bool?
        enum CodingKeys: String, CodingKey {
            case salt, targets, desiredDigest = "desired_digest", unchangedFingerprints = "unchanged_fingerprints"
            case allowReplace = "allow_replace"
        }
    }
    var formatVersion: String
    var source: Source
    var changes: [Change]
    var saved: Saved?
    enum CodingKeys: String, CodingKey { case source, changes, saved, formatVersion = "format_version" }
}
