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
        }
    }

    /// Installs, replaces, upgrades and downgrades to a pinned version need that version published.
    package static func check(_ operation: InstallationOperation, reader: any LiveReading) async -> ApplyOutcome {
        let version: String
        switch operation {
        case .install(let request), .replace(let request):
            guard let pinned = request.version else { return .wouldApply("install the latest version") }
            version = pinned
        case .upgrade(_, let pinned), .downgrade(_, let pinned):
            version = pinned
        }
        do throws(APIError) {
            let versions = try await reader.versions(of: operation.providerName)
            guard versions.contains(version) else {
                return .failed("version \(version) of \(operation.providerName) is not published (published: "
                               + "\(versions.prefix(8).joined(separator: ", ")))")
            }
            return .wouldApply("version \(version) is published")
        } catch {
            return .failed(error.description)
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
