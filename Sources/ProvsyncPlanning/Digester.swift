import ProvsyncModel
import ProvsyncSupport

/// Salted digests for values that must not be stored as they are.
package struct Digester: Sendable {
    package let salt: String
    /// The salt and a NUL, which every digested text follows.
    private let saltPrefix: [UInt8]

    package init(salt: String) {
        self.salt = salt
        saltPrefix = Array(salt.utf8) + [0]
    }

    func digest(_ text: String) -> String {
        var bytes = saltPrefix
        bytes += text.utf8
        return SHA256Digest.hex(bytes)
    }

    /// The digest of a JSON value's canonical text, written straight after the salt.
    func digest(_ json: JSONValue) -> String {
        var bytes = saltPrefix
        json.appendCanonical(to: &bytes)
        return SHA256Digest.hex(bytes)
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
