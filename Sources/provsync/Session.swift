import Foundation
import ProvsyncLive
import ProvsyncManifests
import ProvsyncModel
import ProvsyncPlanning
import ProvsyncSandbox

/// Manifests read and validated, secrets resolved, and the APIs reachable: what plan and apply share.
/// Failures are printed when they happen; the error thrown only ends the command with exit 1.
struct Session {
    struct Failure: Error {}

    let loaded: LoadedManifests
    let desired: DesiredState
    let endpoints: APIEndpoints
    let credentials: Credentials
    let parallelism: Int
    /// The embedded sandbox, when `--sandbox` started one; `close()` stops it.
    let sandbox: SandboxServer?
    let console: Console

    /// The read-only client: all that plan, drift and dry runs use.
    let reader: LiveReader
    /// The client that writes, for apply only.
    let writer: LiveWriter

    /// Reads and checks the manifests (no API call while any is invalid), then connects.
    static func open(_ request: ManifestRequest, api: APIOptions, console: Console) async throws(Failure) -> Session {
        let timings = PhaseTimings(console: console)
        let loaded: LoadedManifests
        do {
            loaded = try timings.measure("read manifests") { () throws(DiagnosticsError) in try ManifestLoader.load(request) }
        } catch {
            console.report(error.diagnostics)
            throw Failure()
        }
        console.report(loaded.diagnostics)
        guard loaded.isValid else {
            console.err("no API call was made: the manifests are invalid")
            throw Failure()
        }
        let desired: DesiredState
        switch timings.measure("resolve values", { DesiredState.resolve(loaded.manifestSet, environment: console.environment) }) {
        case .success(let state): desired = state
        case .failure(let error):
            console.report(error.diagnostics)
            console.err("no API call was made: set the environment variables above")
            throw Failure()
        }
        do {
            let connection = try await api.connect(loaded.configuration, source: loaded.manifestSet.source)
            let credentials = Credentials(environment: console.environment)
            return Session(
                loaded: loaded, desired: desired, endpoints: connection.endpoints, credentials: credentials,
                parallelism: api.effectiveParallelism(loaded.configuration), sandbox: connection.sandbox,
                console: console,
                reader: LiveReader(endpoints: connection.endpoints, credentials: credentials),
                writer: LiveWriter(endpoints: connection.endpoints, credentials: credentials)
            )
        } catch {
            console.err("error: \(error)")
            throw Failure()
        }
    }

    /// Reads live state from both APIs (read-only).
    func snapshot() async throws(Failure) -> LiveSnapshot {
        do {
            return try await PhaseTimings(console: console).measure("read live state") { () async throws(APIError) in
                try await reader.snapshot(managedOrigins: desired.managedOrigins, parallelism: parallelism)
            }
        } catch {
            console.err("error: reading live state: \(error)")
            throw Failure()
        }
    }

    /// Reads live state and computes the plan. `recordsDigests` when the plan is saved or checked against
    /// a saved one.
    func plan(targets: [String], allowReplace: Bool, salt: String = randomSalt(), recordsDigests: Bool)
        async throws(Failure) -> ExecutablePlan {
        let snapshot = try await snapshot()
        return plan(against: snapshot, options: PlanningOptions(allowReplace: allowReplace, targets: targets, salt: salt,
                                                                recordsDigests: recordsDigests))
    }

    /// `plan --base`: plans the head and the base manifests against one live snapshot and marks each head
    /// change as introduced or pre-existing. A base that cannot be read counts as having no changes. The base
    /// is read from git while the live state is (it is local work, and no API call depends on it).
    func plan(targets: [String], allowReplace: Bool, base: String, request: ManifestRequest, recordsDigests: Bool)
        async throws(Failure) -> Plan {
        async let baseState = Self.desiredState(at: base, request: request, environment: console.environment)
        let snapshot = try await snapshot()
        var options = PlanningOptions(allowReplace: allowReplace, targets: targets, salt: Self.randomSalt(),
                                      recordsDigests: recordsDigests)
        let head = plan(against: snapshot, options: options).plan
        guard let (baseSource, baseDesired) = await baseState else {
            console.err("warning: the manifests at --base \(base) cannot be read or are invalid; every change is "
                        + "shown as introduced by this change")
            return BaseAttribution.attribute(head, base: Plan(source: head.source, changes: [], unmanaged: [],
                                                             desiredDigest: "", salt: options.salt))
        }
        options.recordsDigests = false  // only the base's changes are compared
        let basePlan = Planner.plan(source: baseSource, desired: baseDesired, live: snapshot, options: options).plan
        return BaseAttribution.attribute(head, base: basePlan)
    }

    private func plan(against snapshot: LiveSnapshot, options: PlanningOptions) -> ExecutablePlan {
        PhaseTimings(console: console).measure("plan") {
            Planner.plan(source: loaded.manifestSet.source, desired: desired, live: snapshot, options: options)
        }
    }

    /// The desired state at another revision (`--base`), or nil when it cannot be read or is invalid.
    private static func desiredState(at ref: String, request: ManifestRequest, environment: [String: String])
        -> (ManifestSource, DesiredState)? {
        var baseRequest = request
        baseRequest.ref = ref
        baseRequest.workingTree = false
        guard let manifests = try? ManifestLoader.load(baseRequest), manifests.isValid,
              case .success(let state) = DesiredState.resolve(manifests.manifestSet, environment: environment)
        else { return nil }
        return (manifests.manifestSet.source, state)
    }

    func close() async {
        await sandbox?.stop()
    }

    static func randomSalt() -> String {
        (0..<16).map { _ in
            let hex = String(UInt8.random(in: 0...255), radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
