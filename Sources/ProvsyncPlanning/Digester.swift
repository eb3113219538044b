import ProvsyncModel
import ProvsyncSupport

/// Digests of values that must not be stored as they are. With a plan key each is an HMAC-SHA256 under it,
/// which no one without the key material can recompute, so the digests a saved plan records may cover
/// secrets. Without one each is a salted SHA-256, which anyone holding the salt can recompute: what a saved
/// plan records then leaves secrets out (`recorded`).
package struct Digester: Sendable {
    package let salt: String
    package let key: PlanKey?
    /// The salt and a NUL, which every digested text follows when there is no key (a key is derived with it).
    private let saltPrefix: [UInt8]

    package init(salt: String, key: PlanKey? = nil) {
        self.salt = salt
        self.key = key
        saltPrefix = Array(salt.utf8) + [0]
    }

    /// The same salt without the key: the digester of the fingerprints apply compares just before a write
    /// (`LiveFingerprints`), which never leave the process.
    var withoutKey: Digester { key == nil ? self : Digester(salt: salt) }

    func digest(_ text: String) -> String {
        var bytes = key == nil ? saltPrefix : []
        bytes += text.utf8
        return finished(bytes)
    }

    /// The digest of a JSON value's canonical text.
    func digest(_ json: JSONValue) -> String {
        var bytes = key == nil ? saltPrefix : []
        json.appendCanonical(to: &bytes)
        return finished(bytes)
    }

    private func finished(_ bytes: [UInt8]) -> String {
        key.map { $0.mac(bytes) } ?? SHA256Digest.hex(bytes)
    }

    /// A plan value for a desired or live text, redacted when sensitive.
    func value(_ text: String?, sensitive: Bool) -> PlanValue {
        guard let text else { return .absent }
        return sensitive ? .sensitive(digest: digest(text)) : .value(.string(text))
    }

    func value(_ json: JSONValue?, sensitive: Bool) -> PlanValue {
        guard let json else { return .absent }
        return sensitive ? .sensitive(digest: digest(json)) : .value(json)
    }

    /// A text as a digest a saved plan records may cover it: itself, or, without a key, the placeholder for
    /// a secret.
    func recorded(_ text: String, secret: Bool) -> JSONValue {
        secret && key == nil ? .string(PlanValue.redacted) : .string(text)
    }

    /// `json`, found at the dotted `path` (empty at the root), as a digest a saved plan records may cover it:
    /// without what an `ignore` pattern covers (nil when that is all of it; an ignored array item is null), and
    /// without a key, with what `isSecret` names as the placeholder.
    func recorded(_ json: JSONValue, at path: String = "", ignore: [String],
                  isSecret: (String) -> Bool) -> JSONValue? {
        if !path.isEmpty {
            if PathPattern.matchesAny(ignore, path: path) { return nil }
            if key == nil && isSecret(path) { return .string(PlanValue.redacted) }
        }
        switch json {
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            for (name, member) in members {
                kept[name] = recorded(member, at: path.isEmpty ? name : "\(path).\(name)", ignore: ignore,
                                      isSecret: isSecret)
            }
            return .object(kept)
        case .array(let items):
            return .array(items.indices.map {
                recorded(items[$0], at: "\(path)[\($0)]", ignore: ignore, isSecret: isSecret) ?? .null
            })
        default:
            return json
        }
    }
}

/// The fingerprints plans record for live objects (`PlannedChange.liveFingerprint`), for apply to tell
/// whether an object read again just before a write is still the one the change was planned from.
package struct LiveFingerprints: Sendable {
    private let digester: Digester

    /// `salt` is the plan's (`Plan.salt`): fingerprints are only comparable under the same salt.
    package init(salt: String) {
        digester = Digester(salt: salt)
    }

    /// The fingerprint of a live object of `kind`, read as the plan read it (with details where it read them).
    package func of<Kind: KindPlanning>(_ live: Kind.Live, _ kind: Kind.Type) -> String {
        Kind.fingerprint(live, digester: digester)
    }
}
