import ProvsyncModel

/// An Installation manifest with its references resolved.
package struct DesiredInstallation: DesiredObject {
    package var manifest: InstallationManifest
    package var location: SourceLocation
    package var config: [String: ResolvedValue]

    package var address: ResourceAddress { manifest.address }
    package var policy: ManifestPolicy {
        get { manifest.policy }
        set { manifest.policy = newValue }
    }
}

/// Installations are paired by `org/name`. `config`, `resource_tier` and `upgrade_policy` can only change by
/// uninstall + install (a replace); a pinned version that differs is an upgrade or a downgrade; with
/// `upgrade_policy: auto` a live version newer than the pin is the platform's doing and not a change.
extension InstallationKind: KindPlanning {
    package static var desiredObjects: WritableKeyPath<DesiredState, [DesiredInstallation]> { \.installations }
    package static var pairing: WritableKeyPath<Reconciliation, Pairing<InstallationKind>> { \.installations }

    package static func resolve(_ spec: InstallationManifest, at location: SourceLocation,
                                resolver: inout ValueResolver) -> DesiredInstallation {
        DesiredInstallation(manifest: spec, location: location,
                            config: resolver.resolve(spec.config, field: "config", policy: spec.policy))
    }

    package static func index(_ live: [LiveInstallation]) -> [String: LiveInstallation] {
        Dictionary(live.map { ($0.providerName, $0) }, uniquingKeysWith: { first, _ in first })
    }

    package static func match(_ desired: DesiredInstallation, in index: [String: LiveInstallation]) -> LiveInstallation? {
        index[desired.manifest.providerName]
    }

    package static func needsDetails(_ desired: DesiredInstallation) -> Bool { false }

    package static func fingerprint(_ live: LiveInstallation, digester: Digester) -> String {
        digester.digest(fields(live))
    }

    /// `PlannedChange.savedFingerprint`: the live fields without the ignored ones; without a key, a config value
    /// is a placeholder when the manifest has it sensitive, or lacks it (it may well hold a secret).
    private static func savedFingerprint(_ live: LiveInstallation, of desired: DesiredInstallation,
                                         digester: Digester) -> String {
        let policy = desired.manifest.policy
        let recorded = digester.recorded(fields(live), ignore: policy.ignore) { path in
            let key = path.hasPrefix("config.") ? String(path.dropFirst("config.".count)) : nil
            return key.map { desired.config[$0]?.isSensitive ?? true } ?? false
                || PathPattern.matchesAny(policy.sensitive, path: path)
        }
        return digester.digest(recorded ?? .null)
    }

    /// The compared fields of a live installation, by their manifest paths.
    private static func fields(_ live: LiveInstallation) -> JSONValue {
        JSONValue.object([
            "version": live.installedVersion.map(JSONValue.string) ?? .null,
            "upgrade_policy": .string(live.upgradePolicy), "resource_tier": .string(live.resourceTier),
            "config": .object(live.config.mapValues(JSONValue.string)),
        ])
    }

    package static func describe(_ desired: DesiredInstallation, digester: Digester) -> JSONValue {
        let manifest = desired.manifest
        return JSONValue.object([
            "address": .string(manifest.address.description),
            "version": manifest.version.map(JSONValue.string) ?? .null,
            "resource_tier": .string(manifest.resourceTier.rawValue),
            "upgrade_policy": .string(manifest.upgradePolicy.rawValue),
            "config": .object(desired.config.mapValues { digester.recorded($0.text, secret: $0.isSensitive) }),
            "policy": .array((manifest.policy.ignore + ["|"] + manifest.policy.sensitive).map(JSONValue.string)),
            "allow_replace": .bool(manifest.policy.allowReplace),
        ])
    }

    /// Unhealthy when it `failed`, or its health is `degraded`.
    package static func health(_ live: LiveInstallation) -> String? {
        if live.lifecycleState == "failed" {
            return "failed" + (live.healthMessage.map { ": \($0)" } ?? "")
        }
        if live.health == "degraded" {
            return "degraded" + (live.healthMessage.map { ": \($0)" } ?? "")
        }
        return nil
    }

    package static func plan(_ desired: DesiredInstallation, live: LiveInstallation?, context: PlanningContext)
        -> PlanningOutcome<InstallationOperation> {
        let manifest = desired.manifest
        let ignore = manifest.policy.ignore
        let digester = context.digester
        var request = InstallRequest(
            providerName: manifest.providerName, version: manifest.version, resourceTier: manifest.resourceTier,
            upgradePolicy: manifest.upgradePolicy, config: desired.config.mapValues(\.text)
        )
        func change(_ action: PlanAction, _ reason: String, _ differences: [FieldDifference],
                    _ operation: InstallationOperation, refusal: String? = nil) -> PlanningOutcome<InstallationOperation> {
            .change(PlannedChange(address: manifest.address, action: action, reason: reason, manifest: desired.location,
                                  differences: differences,
                                  liveFingerprint: live.map { fingerprint($0, digester: digester.withoutKey) },
                                  savedFingerprint: live.map { savedFingerprint($0, of: desired, digester: digester) },
                                  refusal: refusal), operation)
        }
        guard let live else {
            var differences: [FieldDifference] = []
            if let version = manifest.version {
                differences.append(FieldDifference(path: "version", before: .absent, after: .value(.string(version))))
            }
            differences += [
                FieldDifference(path: "resource_tier", before: .absent, after: .value(.string(manifest.resourceTier.rawValue))),
                FieldDifference(path: "upgrade_policy", before: .absent, after: .value(.string(manifest.upgradePolicy.rawValue))),
            ]
            differences += configDifferences(desired, live: [:], digester: digester)
            return change(.install, "not installed", differences, .install(request))
        }
        var replaceDifferences: [FieldDifference] = []
        for (path, liveValue, desiredValue) in [
            ("resource_tier", live.resourceTier, manifest.resourceTier.rawValue),
            ("upgrade_policy", live.upgradePolicy, manifest.upgradePolicy.rawValue),
        ] where liveValue != desiredValue && !PathPattern.matchesAny(ignore, path: path) {
            replaceDifferences.append(FieldDifference(path: path, before: .value(.string(liveValue)),
                                                      after: .value(.string(desiredValue))))
        }
        replaceDifferences += configDifferences(desired, live: live.config, digester: digester)
        let versionChange = versionAction(desired: manifest, live: live)
        var versionDifferences: [FieldDifference] = []
        if versionChange != nil, let pin = manifest.version {
            versionDifferences.append(FieldDifference(
                path: "version", before: live.installedVersion.map { .value(.string($0)) } ?? .absent,
                after: .value(.string(pin))
            ))
        }
        if !replaceDifferences.isEmpty {
            // Reinstall at the pinned version when it is a planned change; otherwise at the installed version,
            // so a replace never moves the version unannounced (auto upgrades may have run past the pin).
            request.version = versionChange != nil ? manifest.version : live.installedVersion ?? manifest.version
            // The install replaces the whole config: keep the live values of ignored keys.
            for (key, value) in live.config
            where desired.config[key] == nil && PathPattern.matchesAny(ignore, path: "config.\(key)") {
                request.config[key] = value
            }
            let fields = Set(replaceDifferences.map { $0.path.split(separator: ".").first.map(String.init) ?? $0.path })
            let reason = "\(fields.sorted().joined(separator: ", ")) changed; only uninstall + install changes "
                + (fields.count == 1 ? "it" : "them")
            let allowed = context.allowReplace || manifest.policy.allowReplace
            let refusal = allowed ? nil
                : "replacing interrupts the provider; set policy.allow_replace: true or pass --allow-replace"
            return change(.replace, reason, versionDifferences + replaceDifferences, .replace(request), refusal: refusal)
        }
        guard let versionChange, let pin = manifest.version else {
            return .unchanged(fingerprint: context.recordsDigests
                ? savedFingerprint(live, of: desired, digester: digester) : nil)
        }
        let installed = live.installedVersion ?? "none"
        let operation: InstallationOperation = versionChange == .upgrade
            ? .upgrade(providerName: manifest.providerName, version: pin)
            : .downgrade(providerName: manifest.providerName, version: pin)
        return change(versionChange, "version \(installed) → \(pin)", versionDifferences, operation)
    }

    /// Upgrade, downgrade or nothing, by semantic-version order of the pin and the installed version.
    private static func versionAction(desired: InstallationManifest, live: LiveInstallation) -> PlanAction? {
        guard let pin = desired.version, !PathPattern.matchesAny(desired.policy.ignore, path: "version") else {
            return nil
        }
        guard let installedText = live.installedVersion else { return .upgrade }
        guard let wanted = SemanticVersion(pin), let installed = SemanticVersion(installedText) else {
            return pin == installedText ? nil : .upgrade
        }
        if installed < wanted { return .upgrade }
        if wanted < installed {
            // With auto upgrades the platform moves past the pin by itself; that is not drift.
            return desired.upgradePolicy == .auto ? nil : .downgrade
        }
        return nil
    }

    private static func configDifferences(_ desired: DesiredInstallation, live: [String: String],
                                          digester: Digester) -> [FieldDifference] {
        let policy = desired.manifest.policy
        return Set(live.keys).union(desired.config.keys).sorted().compactMap { key in
            let path = "config.\(key)"
            let wanted = desired.config[key]
            guard live[key] != wanted?.text, !PathPattern.matchesAny(policy.ignore, path: path) else { return nil }
            // A key the manifest no longer has is shown redacted: it may well have held a secret.
            let sensitive = wanted?.isSensitive ?? true || PathPattern.matchesAny(policy.sensitive, path: path)
            return FieldDifference(path: path, before: digester.value(live[key], sensitive: sensitive),
                                   after: digester.value(wanted?.text, sensitive: sensitive))
        }
    }
}
