import ProvsyncModel

/// The fingerprints plans record for live objects (`PlannedChange.liveFingerprint`), for apply to tell
/// whether an object read again just before a write is still the one the change was planned from.
package struct LiveFingerprints: Sendable {
    private let digester: Digester

    /// `salt` is the plan's (`Plan.salt`): fingerprints are only comparable under the same salt.
    package init(salt: String) {
        digester = Digester(salt: salt)
    }

    package func of(_ installation: LiveInstallation) -> String {
        digester.fingerprint(installation)
    }

    /// `provider` must carry its variables when the plan read them (every managed provider's).
    package func of(_ provider: LiveAgentProvider) -> String {
        digester.fingerprint(provider)
    }
}
