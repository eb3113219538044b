import ProvsyncSupport

/// The secret the plan and apply jobs share and a saved plan does not hold: `PROVSYNC_PLAN_KEY`, else the API
/// credentials. Each plan's key is derived from it and the plan's salt. Never printed: `description` and
/// reflection name only where it came from.
package struct PlanKeyMaterial: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// Where it came from, as saved plans record it: `PROVSYNC_PLAN_KEY`, `PROVSYNC_TOKEN` or
    /// `PROVSYNC_USERNAME/PROVSYNC_PASSWORD`.
    package let source: String
    private let secret: [UInt8]

    package init(source: String, secret: [UInt8]) {
        self.source = source
        self.secret = secret
    }

    /// The key of the plan with `salt`.
    package func key(salt: String) -> PlanKey {
        PlanKey(source: source, bytes: KeyedDigest.derivedKey(
            from: Array(source.utf8) + [0] + secret, salt: Array(salt.utf8), info: Array("provsync saved plan".utf8)))
    }

    package var description: String { "plan key material from \(source)" }
    package var debugDescription: String { "PlanKeyMaterial(\(source))" }
    package var customMirror: Mirror { Mirror(self, children: ["source": source], displayStyle: .struct) }
}

/// One plan's key: every digest of a saved plan, and its seal, is an HMAC-SHA256 under it, which no one
/// without the key material can recompute, so they may cover secrets. Only ever in memory.
package struct PlanKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Where its material came from (`PlanKeyMaterial.source`).
    package let source: String
    private let bytes: [UInt8]

    init(source: String, bytes: [UInt8]) {
        self.source = source
        self.bytes = bytes
    }

    /// The HMAC of `message`, as 64 lowercase hex digits.
    package func mac(_ message: [UInt8]) -> String {
        KeyedDigest.hex(key: bytes, message)
    }

    /// A MAC of a fixed text, which saved plans record so that apply can tell a plan made with another key
    /// from an edited one.
    package var check: String { mac(Array("provsync key check".utf8)) }

    package var description: String { "plan key from \(source)" }
    package var debugDescription: String { "PlanKey(\(source))" }
    package var customMirror: Mirror { Mirror(self, children: ["source": source], displayStyle: .struct) }
}
