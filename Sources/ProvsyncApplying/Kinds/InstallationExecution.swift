import ProvsyncLive
import ProvsyncModel
import ProvsyncPlanning

/// Installations: an install needs no pre-write check (the store API refuses to install twice); the other
/// operations compare a fresh read of the list with the plan's fingerprint. A replace is an uninstall, then
/// an install; an install is confirmed by the installation showing (at the pinned version).
extension InstallationKind: KindExecution {
    package static func conflict(for change: PlannedChange, _ operation: InstallationOperation,
                                 context: ExecutionContext) async -> ApplyOutcome? {
        if case .install = operation { return nil }
        return await ExecutionContext.checking { () async throws(APIError) -> ApplyOutcome? in
            let now = try await context.installations.fresh()[operation.providerName].map {
                context.fingerprints.of($0, Self.self)
            }
            if case .uninstall = operation { return ExecutionContext.deletable(now, since: change) }
            return ExecutionContext.unchanged(now, since: change)
        }
    }

    package static func perform(_ operation: InstallationOperation, context: ExecutionContext) async -> ApplyOutcome {
        let writer = context.writer
        let reader = context.reader
        switch operation {
        case .install(let request):
            return await install(request, context: context)
        case .upgrade(let name, let version), .downgrade(let name, let version):
            return await context.attempts.run { () async throws(APIError) -> String in
                let moved = if case .upgrade = operation {
                    try await writer.upgrade(providerName: name, to: version)
                } else {
                    try await writer.downgrade(providerName: name, to: version)
                }
                return describe(moved)
            } confirm: { () async throws(APIError) -> Bool in
                try await installation(name, in: reader)?.installedVersion == version
            }
        case .replace(let request):
            let uninstalled = await context.attempts.run { () async throws(APIError) -> String in
                try await writer.uninstall(providerName: request.providerName, cascade: false)
                return "uninstalled"
            } confirm: { () async throws(APIError) -> Bool in
                try await installation(request.providerName, in: reader) == nil
            }
            guard case .applied = uninstalled else {
                return .failed("uninstall: \(uninstalled.message); the provider was left as it was")
            }
            let installed = await install(request, context: context)
            guard case .applied(let detail) = installed else {
                return .failed("uninstalled, but the new install failed: \(installed.message); "
                               + "the provider is absent until the next apply installs it")
            }
            return .applied("reinstalled: \(detail)")
        case .uninstall(let name, let cascade):
            let outcome = await context.attempts.run { () async throws(APIError) -> String in
                try await writer.uninstall(providerName: name, cascade: cascade)
                return cascade ? "uninstalled with its active resources" : "uninstalled"
            } confirm: { () async throws(APIError) -> Bool in
                try await installation(name, in: reader) == nil
            }
            return activeResourcesAdvice(outcome, cascade: cascade)
        }
    }

    /// A 409 to an uninstall without cascade means the installation still has active resources: the
    /// message says how to remove them with it.
    private static func activeResourcesAdvice(_ outcome: ApplyOutcome, cascade: Bool) -> ApplyOutcome {
        guard case .failed(let message) = outcome, !cascade, message.contains(": 409 ") else { return outcome }
        return .failed(message + "; the installation still has active resources: to remove them with it, set "
                       + "policy.cascade: true in its manifest (ensure: absent) or pass --cascade")
    }

    /// Installs, replaces, upgrades and downgrades need their version published, as the store checks it:
    /// a pinned version the store lists in another status, or does not list, would fail; an install of the
    /// latest version needs one published version.
    package static func check(_ operation: InstallationOperation, reader: any LiveReading) async -> ApplyOutcome {
        let name = operation.providerName
        do throws(APIError) {
            if case .uninstall(_, let cascade) = operation {
                guard try await installation(name, in: reader) != nil else {
                    return .wouldApply("already absent; nothing would be sent")
                }
                return .wouldApply(cascade ? "uninstall with its active resources (cascade=true)" : "uninstall")
            }
            return verdict(operation.pinnedVersion, of: name, listed: try await reader.catalogVersions(of: name))
        } catch {
            return DryRun.outcome(after: error)
        }
    }

    /// A pinned version the store has not published: apply's install, upgrade or downgrade would be refused.
    /// Unpinned installs (the latest) and failed reads are left to apply.
    package static func refusal(of operation: InstallationOperation, reader: any LiveReading) async -> String? {
        guard let pinned = operation.pinnedVersion, let listed = try? await reader.catalogVersions(of: operation.providerName) else { return nil }
        if case .wouldFail(let reason) = verdict(pinned, of: operation.providerName, listed: listed) { return reason }
        return nil
    }

    /// The dry run's verdict on installing `pinned` (nil: the latest) of `name`, given the store's versions.
    static func verdict(_ pinned: String?, of name: String, listed: [StoreVersion]) -> ApplyOutcome {
        let published = listed.filter(\.isPublished).map(\.version)
        let publishedList = published.isEmpty ? "none" : published.prefix(8).joined(separator: ", ")
        guard let pinned else {
            guard let latest = published.max(by: isOlder) else {
                return .wouldFail("\(name) has no published version to install")
            }
            return .wouldApply("install the latest published version, \(latest)")
        }
        guard let found = listed.first(where: { $0.version == pinned }) else {
            return .wouldFail("version \(pinned) of \(name) is not published: the store has no such version "
                           + "(published: \(publishedList))")
        }
        guard found.isPublished else {
            let reason = found.errorMessage.map { ": \($0)" } ?? ""
            return .wouldFail("version \(pinned) of \(name) is not published: its status is \(found.status)\(reason) "
                           + "(published: \(publishedList))")
        }
        return .wouldApply("version \(pinned) is published")
    }

    /// Semantic-version order; text that is not a semantic version sorts below every one that is.
    private static func isOlder(_ left: String, _ right: String) -> Bool {
        switch (SemanticVersion(left), SemanticVersion(right)) {
        case let (left?, right?): left < right
        case (nil, _?): true
        case (_?, nil), (nil, nil): false
        }
    }

    private static func install(_ request: InstallRequest, context: ExecutionContext) async -> ApplyOutcome {
        let writer = context.writer
        let reader = context.reader
        return await context.attempts.run { () async throws(APIError) -> String in
            describe(try await writer.install(request))
        } confirm: { () async throws(APIError) -> Bool in
            guard let live = try await installation(request.providerName, in: reader) else { return false }
            return request.version == nil || live.installedVersion == request.version
        }
    }

    private static func installation(_ name: String, in reader: any LiveReading) async throws(APIError)
        -> LiveInstallation? {
        try await reader.installations().first { $0.providerName == name }
    }

    private static func describe(_ installation: LiveInstallation) -> String {
        "\(installation.installedVersion ?? "latest"), \(installation.lifecycleState)"
    }
}
