import ProvsyncLive
import ProvsyncModel

/// Carries out a plan's operations through the writer, at most `parallelism` at a time. A failure does
/// not stop the other changes (each concerns a different object). Writes are not retried blindly: when a
/// write's outcome is unknown (a timeout, a dropped connection, a 500/502/503/504), the object is read
/// again; if the change shows it is done, if not the write is sent again (a bounded number of times).
/// Before its first write, each change's object is read again and compared with the plan's fingerprint:
/// one changed since the plan (another apply running at the same time) is left alone and reported.
package struct Applier: Sendable {
    package var reader: LiveReader
    package var writer: LiveWriter
    package var parallelism: Int
    package var observer: any ApplyObserver
    /// Checked before each operation starts; once requested, the remaining ones are not attempted.
    package var stop: StopRequest

    package init(reader: LiveReader, writer: LiveWriter, parallelism: Int, observer: any ApplyObserver = SilentApplyObserver(),
                 stop: StopRequest = StopRequest()) {
        self.reader = reader
        self.writer = writer
        self.parallelism = max(1, parallelism)
        self.observer = observer
        self.stop = stop
    }

    package func apply(_ executable: ExecutablePlan) async -> ApplyReport {
        let changes = executable.plan.changes
        let refused = changes.filter { $0.refusal != nil }
        if !refused.isEmpty {
            // A refused change stops the whole apply before any write, so nothing is half done.
            return ApplyReport(results: changes.map { change in
                let why = change.refusal.map { "refused: \($0)" }
                    ?? "not attempted: \(refused.count) refused change\(refused.count == 1 ? "" : "s") in the plan"
                return ApplyResult(address: change.address, action: change.action, outcome: .notAttempted(why))
            })
        }
        let check = ConcurrentChangeCheck(reader: reader, salt: executable.plan.salt)
        var results: [ApplyResult] = []
        await withTaskGroup(of: ApplyResult.self) { group in
            var pending = changes[...]
            func startNext() -> Bool {
                guard let change = pending.popFirst() else { return false }
                group.addTask {
                    await observer.started(change)
                    let result: ApplyResult
                    if stop.isRequested || Task.isCancelled {
                        result = ApplyResult(address: change.address, action: change.action,
                                             outcome: .notAttempted("interrupted before it started"))
                    } else if let operation = executable.operations[change.address] {
                        let outcome = if let conflict = await check.conflict(for: change, operation) {
                            conflict
                        } else {
                            await perform(operation, for: change)
                        }
                        result = ApplyResult(address: change.address, action: change.action, outcome: outcome)
                    } else {
                        result = ApplyResult(address: change.address, action: change.action,
                                             outcome: .notAttempted("no operation was planned"))
                    }
                    await observer.finished(result)
                    return result
                }
                return true
            }
            for _ in 0..<parallelism where startNext() {}
            for await result in group {
                results.append(result)
                _ = startNext()
            }
        }
        return ApplyReport(results: results)
    }

    /// How many times a write is sent when reading back shows an earlier attempt did not take effect.
    static let maxWriteAttempts = 3

    private func perform(_ operation: PlannedOperation, for change: PlannedChange) async -> ApplyOutcome {
        switch operation {
        case .install(let request):
            return await install(request)
        case .upgrade(let name, let version), .downgrade(let name, let version):
            return await write {
                let moved = if case .upgrade = operation {
                    try await writer.upgrade(providerName: name, to: version)
                } else {
                    try await writer.downgrade(providerName: name, to: version)
                }
                return describe(moved)
            } confirm: {
                try await reader.installation(named: name)?.installedVersion == version
            }
        case .replace(let request):
            let uninstalled = await write {
                try await writer.uninstall(providerName: request.providerName, cascade: false)
                return "uninstalled"
            } confirm: {
                try await reader.installation(named: request.providerName) == nil
            }
            guard case .applied = uninstalled else {
                return .failed("uninstall: \(uninstalled.message); the provider was left as it was")
            }
            let installed = await install(request)
            guard case .applied(let detail) = installed else {
                return .failed("uninstalled, but the new install failed: \(installed.message); "
                               + "the provider is absent until the next apply installs it")
            }
            return .applied("reinstalled: \(detail)")
        case .create(let request):
            let origin = request.resultingOrigin
            return await write {
                "created \((try await writer.createAgentProvider(request)).id)"
            } confirm: {
                guard let origin else { return false }
                return try await reader.agentProvider(origin: origin) != nil
            }
        case .update(let id, let request):
            // A PATCH sets fields to given values: sending it again has the same effect as sending it once.
            return await write {
                _ = try await writer.updateAgentProvider(id: id, request)
                return "updated \(id)"
            } confirm: {
                false
            }
        }
    }

    private func install(_ request: InstallRequest) async -> ApplyOutcome {
        await write {
            describe(try await writer.install(request))
        } confirm: {
            guard let live = try await reader.installation(named: request.providerName) else { return false }
            return request.version == nil || live.installedVersion == request.version
        }
    }

    /// Sends a write. When its outcome is unknown (a timeout, a dropped connection, a 500/502/503/504), asks
    /// `confirm` whether the change now shows: if so it is applied; if not, the write is sent again, at most
    /// `maxWriteAttempts` times in all, so nothing is applied twice.
    private func write(
        _ send: () async throws -> String, confirm: () async throws -> Bool
    ) async -> ApplyOutcome {
        var attempt = 1
        while true {
            let error: APIError
            do {
                return .applied(try await send())
            } catch let failure as APIError {
                error = failure
            } catch {
                return .failed("\(error)")
            }
            guard error.isOutcomeUnknown || error.kind == .serverError else { return .failed(error.description) }
            do {
                if try await confirm() {
                    return .applied("confirmed by reading back after: \(error.description)")
                }
            } catch let readError {
                return .failed("\(error.description); reading the object back also failed: \(readError)")
            }
            guard attempt < Self.maxWriteAttempts else {
                return .failed("\(error.description) (sent \(attempt) times; the change could not be confirmed)")
            }
            attempt += 1
        }
    }

    private func describe(_ installation: LiveInstallation) -> String {
        "\(installation.installedVersion ?? "latest"), \(installation.lifecycleState)"
    }
}
