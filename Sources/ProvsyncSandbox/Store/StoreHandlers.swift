import Foundation

/// The store provider installation API (API 1 of the contract).
extension SandboxState {
    static let resourceTiers = ["free", "standard", "performance"]
    static let upgradePolicies = ["auto", "manual"]

    func handleStore(_ route: SandboxRoute, _ request: SandboxRequest) -> SandboxResponse {
        switch route {
        case .listInstalled:
            return cachedList("installed") {
                .array(world.installations.values.sorted { $0.canonical < $1.canonical }.map(\.response))
            }
        case .install:
            return install(request)
        case .upgrade(let org, let name):
            return changeVersion("\(org)/\(name)", request, downgrade: false)
        case .downgrade(let org, let name):
            return changeVersion("\(org)/\(name)", request, downgrade: true)
        case .uninstall(let org, let name):
            return uninstall("\(org)/\(name)", cascade: request.query["cascade"] == "true")
        case .versions(let org, let name):
            guard let catalog = catalogResponses(org, name) else {
                return .detail(404, "Provider \(org)/\(name) not found")
            }
            return .json(200, catalog.versions)
        case .storeProvider(let org, let name):
            guard let catalog = catalogResponses(org, name) else {
                return .detail(404, "Provider \(org)/\(name) not found")
            }
            return .json(200, catalog.provider(installed: world.installations[catalog.canonical] != nil))
        default:
            return .detail(404, "Not Found")
        }
    }

    private func install(_ request: SandboxRequest) -> SandboxResponse {
        var issues: [ValidationIssue] = []
        guard var body = BodyValidator(request.json, issues: &issues) else { return .validation(issues) }
        let providerName = body.requiredString("provider_name", length: 1...200)
        if let providerName, providerName.split(separator: "/", omittingEmptySubsequences: false).count != 2
            || providerName.hasPrefix("/") || providerName.hasSuffix("/") {
            body.fail("string_pattern_mismatch", ["provider_name"], "String should match pattern '^[^/]+/[^/]+$'",
                      input: .string(providerName), ctx: ["pattern": "^[^/]+/[^/]+$"])
        }
        let version = body.optionalString("version")
        let tier = body.enumeration("resource_tier", allowed: Self.resourceTiers, default: "standard")
        let policy = body.enumeration("upgrade_policy", allowed: Self.upgradePolicies, default: "manual")
        let config = body.stringMap("config")
        guard body.issues.isEmpty, let providerName, let tier, let policy else { return .validation(body.issues) }
        if world.installations[providerName] != nil {
            return .detail(409, "Provider \(providerName) is already installed")
        }
        guard let entry = world.catalog[providerName] else {
            return .detail(404, "Provider \(providerName) not found")
        }
        let resolved: String
        if case .some(.some(let requested)) = version {
            if let refusal = Self.refusal(of: requested, in: entry, providerName) { return refusal }
            resolved = requested
        } else {
            guard let latest = entry.latestPublished else {
                return .detail(404, "Provider \(providerName) has no published versions")
            }
            resolved = latest
        }
        let parts = providerName.split(separator: "/").map(String.init)
        let now = self.now
        let configValues = (config ?? nil)?.compactMapValues { $0 } ?? [:]
        let record = InstallationRecord(
            prefix: parts[0], name: parts[1], installedVersion: resolved, currentVersion: nil,
            upgradePolicy: policy, resourceTier: tier, config: configValues, installedAt: now, createdAt: now,
            updatedAt: now, lifecycleState: "pending", stateSince: now, health: "healthy", healthMessage: nil,
            activeResources: 0
        )
        world.installations[providerName] = record
        startSettling(providerName)
        return .json(201, record.response)
    }

    private func changeVersion(_ canonical: String, _ request: SandboxRequest, downgrade: Bool) -> SandboxResponse {
        guard let record = world.installations[canonical] else {
            return .detail(404, "Provider \(canonical) is not installed")
        }
        var issues: [ValidationIssue] = []
        guard var body = BodyValidator(request.json, issues: &issues) else { return .validation(issues) }
        let latest = world.catalog[canonical]?.latestPublished
        let target: String?
        if downgrade {
            target = body.requiredString("target_version")
        } else {
            switch body.optionalString("version") {
            case .some(.some(let version)): target = version
            case .some(.none): target = latest
            case .none: target = body.issues.isEmpty ? latest : nil
            }
        }
        guard body.issues.isEmpty else { return .validation(body.issues) }
        guard let target, let entry = world.catalog[canonical] else {
            return .detail(404, "Version \(target ?? "latest") of \(canonical) not found")
        }
        if let refusal = Self.refusal(of: target, in: entry, canonical) { return refusal }
        if downgrade && !SandboxVersion.isOlder(target, than: record.installedVersion) {
            return .detail(400, "Version \(target) is not older than the installed version \(record.installedVersion)")
        }
        if !downgrade && !SandboxVersion.isOlder(record.installedVersion, than: target) {
            return .detail(400, "Version \(target) is not newer than the installed version \(record.installedVersion)")
        }
        return .json(200, moveVersion(of: record, to: target).response)
    }

    /// Sets the installed version and starts the lifecycle over from `pending`, as the platform does.
    @discardableResult
    private func moveVersion(of installation: InstallationRecord, to version: String) -> InstallationRecord {
        var record = installation
        record.installedVersion = version
        record.lifecycleState = "pending"
        record.stateSince = now
        record.updatedAt = now
        world.installations[record.canonical] = record
        startSettling(record.canonical)
        return record
    }

    private func uninstall(_ canonical: String, cascade: Bool) -> SandboxResponse {
        guard let record = world.installations[canonical] else {
            return .detail(404, "Provider \(canonical) is not installed")
        }
        if record.activeResources > 0 && !cascade {
            return .detail(409, "Provider \(canonical) still has \(record.activeResources) active resources; "
                           + "uninstall with cascade=true to remove them")
        }
        world.installations[canonical] = nil
        settling.remove(canonical)
        return .noContent
    }

    /// Why `version` of `canonical` cannot be installed: a 404 when the catalog does not have it, a 400
    /// naming its status when it is not published; nil when it installs.
    private static func refusal(of version: String, in entry: CatalogEntry, _ canonical: String) -> SandboxResponse? {
        guard let found = entry.version(version) else {
            return .detail(404, "Version \(version) of \(canonical) not found")
        }
        guard found.isPublished else {
            return .detail(400, "Version \(version) of \(canonical) is not published (status: \(found.status.rawValue))")
        }
        return nil
    }

    private func catalogResponses(_ org: String, _ name: String) -> CatalogResponses? {
        world.catalog["\(org)/\(name)"].map { CatalogResponses(prefix: org, name: name, entry: $0, since: startedAt) }
    }

    /// Publishes a version (or marks one still in admission, or failed, published); installations with
    /// `upgrade_policy: auto` move to it when it is newer.
    func publish(_ version: String, of canonical: String, broken: Bool) {
        let now = self.now
        var entry = world.catalog[canonical] ?? CatalogEntry(versions: [])
        if let index = entry.versions.firstIndex(where: { $0.version == version }) {
            if !entry.versions[index].isPublished {
                entry.versions[index].status = .published
                entry.versions[index].errorMessage = nil
                entry.versions[index].updatedAt = now
                entry.versions[index].publishedAt = now
            }
        } else {
            entry.versions.append(CatalogVersion(version, createdAt: now, updatedAt: now, publishedAt: now))
        }
        if broken && !entry.broken.contains(version) { entry.broken.append(version) }
        world.catalog[canonical] = entry
        if let record = world.installations[canonical], record.upgradePolicy == "auto",
           SandboxVersion.isOlder(record.installedVersion, than: version) {
            moveVersion(of: record, to: version)
        }
        isDirty = true
    }
}
