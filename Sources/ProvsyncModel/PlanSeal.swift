import Foundation
import ProvsyncSupport

/// The seal of a saved plan: a MAC over the canonical JSON of everything the file says but the seal (every
/// decision apply takes from it: targets, `allow_replace`, the commit, each change, the summary, the
/// digests), under the plan's key. Without a key it is a plain SHA-256, which catches an accidental edit but
/// not a deliberate one: anyone can compute it.
extension PlanFile {
    /// The seal of the file's content under `key` (nil: none).
    func computedSeal(key: PlanKey?) throws -> String {
        var unsealed = self
        unsealed.seal = nil
        // Through JSONValue, so the canonical text is provsync's own (sorted keys, no spaces) on every platform.
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(unsealed))
        var bytes = Array("provsync seal".utf8) + [0]
        json.appendCanonical(to: &bytes)
        return key.map { $0.mac(bytes) } ?? SHA256Digest.hex(bytes)
    }

    /// Checks that the file was sealed with the key `material` gives for its salt (nil: no key) and was not
    /// changed since. A file saved without a key is refused when there is one, so removing a seal's key
    /// cannot pass an edit off as a keyless plan.
    package func checkSeal(keyMaterial material: PlanKeyMaterial?) throws(SavedPlanError) {
        guard let saved else { throw .notSaved }
        let key = material?.key(salt: saved.salt)
        let here = key?.source ?? Saved.noKey
        let sameKey = key.map { key in saved.keyCheck.map { KeyedDigest.equal($0, key.check) } ?? false }
            ?? (saved.keySource == Saved.noKey)
        guard sameKey else {
            throw .otherKey(plan: saved.keySource, apply: saved.keySource == here ? "another \(here)" : here)
        }
        guard let seal, let expected = try? computedSeal(key: key), KeyedDigest.equal(seal, expected) else {
            throw .changed
        }
    }
}

extension SavedPlanError {
    /// A saved plan whose seal does not match its content.
    package static let changed = SavedPlanError(
        "the saved plan was changed after it was written (its seal does not match); nothing was applied. "
            + "Run `provsync plan --out` again.")

    /// A saved plan sealed with other key material than apply has; `none` means no key.
    package static func otherKey(plan: String, apply: String) -> SavedPlanError {
        func named(_ source: String) -> String {
            source == PlanFile.Saved.noKey ? "no key (neither PROVSYNC_PLAN_KEY nor credentials)" : source
        }
        return SavedPlanError(
            "the saved plan was sealed with another key than apply has (plan: \(named(plan)); apply: \(named(apply))); "
                + "nothing was applied. Give plan and apply the same PROVSYNC_PLAN_KEY (or the same credentials), "
                + "or run `provsync plan --out` again.")
    }
}
