import ProvsyncLive
import ProvsyncModel

/// Carries out a plan's operations through the writer, at most `parallelism` at a time. A failure does
/// not stop the other changes (each concerns a different object). Writes are not retried blindly: when a
/// write's outcome is unknown (a timeout, a dropped connection, a 500/502/503/504), the object is read
/// again; if the change shows it is done, if not the write is sent again (a bounded number of times).
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
                        result = ApplyResult(address: change.address, action: change.action,
                                             outcome: await perform(operation, for: change))
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
        var attempt = 1
        while true {
            switch await attemptOnce(operation) {
            case .done(let outcome):
                return outcome
            case .notTakenEffect(let error):
                guard attempt < Self.maxWriteAttempts else {
                    return .failed("\(error.description) (\(attempt) attempts; each time reading back showed no change)")
                }
                // Reading back showed the write did not happen, so sending it again cannot apply it twice.
                attempt += 1
            }
        }
    }

    private enum Attempt {
        case done(ApplyOutcome)
        /// The write's outcome was unknown and reading back showed it did not take effect.
        case notTakenEffect(APIError)
    }

    private func attemptOnce(_ operation: PlannedOperation) async -> Attempt {
        switch await send(operation) {
        case .success(let outcome):
            return .done(outcome)
        case .failure(let error) where error.isOutcomeUnknown || error.kind == .serverError:
            // A 500 is an unhandled server error, which may come after the change was stored: read back too.
            return await readBack(operation, after: error)
        case .failure(let error):
            return .done(.failed(error.description))
        }
    }

    private func send(_ operation: PlannedOperation) async -> Result<ApplyOutcome, APIError> {
        do {
            switch operation {
            case .install(let request):
                return .success(.applied(describe(try await writer.install(request))))
            case .upgrade(let name, let version):
                return .success(.applied(describe(try await writer.upgrade(providerName: name, to: version))))
            case .downgrade(let name, let version):
                return .success(.applied(describe(try await writer.downgrade(providerName: name, to: version))))
            case .replace(let request):
                return .success(await replace(request))
            case .create(let request):
                return .success(.applied("created \((try await writer.createAgentProvider(request)).id)"))
            case .update(let id, let request):
                _ = try await writer.updateAgentProvider(id: id, request)
                return .success(.applied("updated \(id)"))
            }
        } catch {
            return .failure(error)
        }
    }

    /// Uninstall, then install. If the install fails after the uninstall succeeded, the report says so
    /// plainly: the provider is now absent and the next apply will install it.
    private func replace(_ request: InstallRequest) async -> ApplyOutcome {
        do {
            try await writer.uninstall(providerName: request.providerName, cascade: false)
        } catch {
            return .failed("uninstall: \(error.description)")
        }
        do {
            return .applied("reinstalled: " + describe(try await writer.install(request)))
        } catch {
            return .failed("uninstalled, but the new install failed: \(error.description); "
                           + "the provider is absent until the next apply installs it")
        }
    }

    /// After a write whose outcome is unknown, reads the object back: the change either shows (applied)
    /// or does not (safe to send again).
    private func readBack(_ operation: PlannedOperation, after error: APIError) async -> Attempt {
        let confirmed = Attempt.done(.applied("confirmed by reading back after: \(error.description)"))
        do {
            switch operation {
            case .install(let request), .replace(let request):
                let live = try await reader.installation(named: request.providerName)
                guard let live, request.version == nil || live.installedVersion == request.version else {
                    return .notTakenEffect(error)
                }
                return confirmed
            case .upgrade(let name, let version), .downgrade(let name, let version):
                return try await reader.installation(named: name)?.installedVersion == version
                    ? confirmed : .notTakenEffect(error)
            case .create(let request):
                let origin = request.origin ?? request.location.flatMap { try? AgentLocation.parse($0).get() }?.origin
                guard let origin else { return .done(.failed(error.description)) }
                return try await reader.agentProvider(origin: origin) != nil ? confirmed : .notTakenEffect(error)
            case .update:
                // A PATCH sets fields to given values: sending it again has the same effect as once.
                return .notTakenEffect(error)
            }
        } catch let readError {
            return .done(.failed("\(error.description); reading the object back also failed: \(readError.description)"))
        }
    }

    private func describe(_ installation: LiveInstallation) -> String {
        "\(installation.installedVersion ?? "latest"), \(installation.lifecycleState)"
    }
}
