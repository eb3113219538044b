import ProvsyncApplying
import ProvsyncLive
import ProvsyncManifests
import ProvsyncModel
import ProvsyncPlanning
import ProvsyncSandbox
import ProvsyncSupport

/// Manifests read and checked, their values resolved, and the APIs reachable: what plan, apply and drift
/// share. `close()` stops the embedded sandbox when one was started.
package struct Workspace: Sendable {
    let engine: Engine
    /// What was asked to be read (`--base` reads the same paths at another ref).
    let request: ManifestRequest
    package let loaded: LoadedManifests
    package let desired: DesiredState
    let connection: Connection

    init(engine: Engine, request: ManifestRequest, loaded: LoadedManifests, desired: DesiredState,
         connection: Connection) {
        self.engine = engine
        self.request = request
        self.loaded = loaded
        self.desired = desired
        self.connection = connection
    }

    package var source: ManifestSource { loaded.manifestSet.source }
    package var endpoints: APIEndpoints { connection.endpoints }
    package var parallelism: Int { connection.parallelism }
    /// The read-only client.
    package var reader: LiveReader { connection.reader }
    /// Warnings found while reading the manifests (skipped symlinks, for example).
    package var warnings: [Diagnostic] { loaded.diagnostics.filter { $0.severity == .warning } }
    /// Every secret value of the run, for output to hide: the credentials (the variables an environment
    /// names too) and the sensitive resolved values (`${env:…}`, `policy.sensitive`).
    package var secrets: SecretValues {
        let values = desired.installations.flatMap(\.config.values)
            + desired.agentProviders.flatMap { $0.variables?.values.map { $0 } ?? [] }
        return engine.secrets.union(loaded.configuration.credentialVariables.secrets(in: engine.environment))
            .union(SecretValues(values.filter(\.isSensitive).map(\.text)))
    }

    private var timer: PhaseTimer { PhaseTimer(observer: engine.observer) }

    /// Live state, read only (lists, then the details of the paired objects that need them), and its
    /// pairing with the desired state. A live object two manifests claim is an error. With `scope`
    /// (`--changed-only`, or the saved plan of one) only the objects at those addresses are read beyond the
    /// lists: their details, and the server's spelling of their locations.
    package func read(scope: Set<ResourceAddress>? = nil) async throws(EngineError) -> LiveState {
        let snapshot: LiveSnapshot
        let spellings = await ServerSpellings.learn(for: desired, scope: scope, reader: connection.reader,
                                                    parallelism: parallelism)
        let desired = self.desired.adopting(serverSources: spellings)
        let shared = desired.agentProvidersSharingASource
        guard shared.isEmpty else { throw .conflicts(shared) }
        do throws(APIError) {
            let selection = PairedDetails(desired: desired, scope: scope)
            snapshot = try await timer.measure("read live state") { () async throws(APIError) in
                try await connection.reader.snapshot(parallelism: parallelism, details: selection)
            }
        } catch {
            throw .liveRead(error)
        }
        let reconciliation = Reconciler.reconcile(desired, with: snapshot)
        guard reconciliation.conflicts.isEmpty else { throw .conflicts(reconciliation.conflicts) }
        return LiveState(snapshot: snapshot, reconciliation: reconciliation, desired: desired,
                         serverSpellings: spellings)
    }

    /// `provsync plan`: live state read and the plan made; with `base`, each change is also marked as made by
    /// this change or pre-existing. Changes apply would refuse (a pinned version the store has not published)
    /// are marked refused.
    package func plan(_ options: PlanOptions) async throws(EngineError) -> PlanResult {
        var result = try await attributedPlan(options)
        result.executable = await PlanRefusals.mark(result.executable, reader: connection.reader, parallelism: parallelism)
        return result
    }

    private func attributedPlan(_ options: PlanOptions) async throws(EngineError) -> PlanResult {
        guard let base = options.base else {
            // A saved --changed-only plan applied again: its recorded scope, without the base.
            let live = try await read(scope: options.scope)
            try checkTargets(options.targets, in: live)
            return PlanResult(executable: plan(live.reconciliation, options: options),
                              warnings: live.reconciliation.liveDuplicates)
        }
        // The base first: a base that cannot be read stops the plan before any API call, as a bad --ref does.
        // The base's manifests are read and checked as the ref's are, and timed as the same phase.
        let baseState = try timer.measure("read manifests") { () throws(EngineError) in try baseDesiredState(at: base) }
        // --changed-only: what the change touches (everything when the base cannot be compared).
        let scope = options.changedOnly ? baseState.state.map { desired.changedAddresses(since: $0.1) } : nil
        let live = try await read(scope: scope)
        try checkTargets(options.targets, in: live)
        var scopedOptions = options
        scopedOptions.scope = scope
        let head = plan(live.reconciliation, options: scopedOptions)
        guard let (baseSource, baseDesired) = baseState.state else {
            var attributed = head
            attributed.plan = BaseAttribution.attribute(head.plan, base: Plan(
                source: head.plan.source, changes: [], unmanaged: [], desiredDigest: "", salt: options.salt))
            return PlanResult(executable: attributed, warnings: live.reconciliation.liveDuplicates + baseState.warnings)
        }
        var baseOptions = planning(scopedOptions)
        baseOptions.recordsDigests = false  // only the base's changes are compared
        let basePlan = Planner.plan(source: baseSource, desired: baseDesired.adopting(serverSources: live.serverSpellings),
                                    live: live.snapshot, options: baseOptions)
        var attributed = head
        attributed.plan = BaseAttribution.attribute(head.plan, base: basePlan.plan)
        return PlanResult(executable: attributed, warnings: live.reconciliation.liveDuplicates)
    }

    /// `apply PLANFILE`: checks the saved plan's seal (before any API call), plans again with its options, salt
    /// and this environment's key, and refuses when anything differs. `path` names the file in errors. The
    /// saved plan of `plan --changed-only` is planned again within its recorded scope (`changed_only`, which
    /// the seal covers): only those objects are read in detail, compared and applied.
    package func plan(saved: PlanFile, at path: String = "the saved plan") async throws(EngineError) -> ExecutablePlan {
        guard let options = saved.saved else { throw .savedPlan(path: path, reason: SavedPlanError.notSaved.description) }
        let scope: Set<ResourceAddress>?
        do throws(SavedPlanError) {
            try saved.checkSeal(keyMaterial: engine.planKeyMaterial)
            scope = try saved.scope()
        } catch {
            throw .savedPlan(path: path, reason: error.description)
        }
        var again = PlanOptions(targets: options.targets, allowReplace: options.allowReplace, salt: options.salt,
                                recordsDigests: true, maxDeletes: options.maxDeletes, cascade: options.cascade)
        again.scope = scope
        let executable = try await plan(again).executable
        if let reason = saved.staleness(comparedWith: executable.plan) {
            throw .stalePlan(reason)
        }
        return executable
    }

    /// `provsync drift`: live state against the manifests, with `ignoring` added to their `policy.ignore`.
    package func drift(ignoring rules: [IgnoreRule] = []) async throws(EngineError) -> DriftReport {
        let live = try await read()
        let unmatched = UnmatchedPatterns.errors(rules.map(\.addressPattern), option: "--ignore",
                                                 addresses: live.reconciliation.addresses(desired: live.desired))
        guard unmatched.isEmpty else { throw .unmatchedPatterns(unmatched) }
        let reconciliation = rules.isEmpty ? live.reconciliation
            : Reconciler.reconcile(live.desired.ignoring(rules), with: live.snapshot)
        return timer.measure("analyse drift") {
            DriftAnalyzer.report(reconciliation, source: source, salt: Salt.random())
        }
    }

    /// Carries out `executable`; `stop` ends it early (changes not started are reported as not attempted).
    package func apply(_ executable: ExecutablePlan, stop: StopRequest = StopRequest()) async -> ApplyReport {
        await Applier(reader: connection.reader, writer: connection.writer, parallelism: parallelism,
                      observer: engine.observer, stop: stop).apply(executable)
    }

    /// `apply --dry-run`: every change checked with reads only.
    package func dryRun(_ executable: ExecutablePlan) async -> ApplyReport {
        await DryRun(reader: connection.reader).check(executable, parallelism: parallelism)
    }

    /// `apply --wait`: polls the installations the report applied until each is ready or failed.
    package func waitForInstallations(after report: ApplyReport, timeout: Double) async -> InstallationWaiter.Outcome {
        let names = Set(report.applied.map(\.address).filter { $0.kind == InstallationKind.kind }.map(\.name))
        let observer = engine.observer
        return await InstallationWaiter(reader: connection.reader, timeout: timeout) { observer.waitProgressed($0) }
            .wait(for: names)
    }

    /// Stops the embedded sandbox, when one was started.
    package func close() async {
        await connection.sandbox?.stop()
    }

    private func checkTargets(_ targets: [String], in live: LiveState) throws(EngineError) {
        let unmatched = UnmatchedPatterns.errors(targets, option: "--target",
                                                 addresses: live.reconciliation.addresses(desired: live.desired))
        guard unmatched.isEmpty else { throw .unmatchedPatterns(unmatched) }
    }

    private func plan(_ reconciliation: Reconciliation, options: PlanOptions) -> ExecutablePlan {
        timer.measure("plan") {
            Planner.plan(reconciliation, source: source, options: planning(options))
        }
    }

    /// The planner's options, with the key this environment's material gives for the options' salt.
    private func planning(_ options: PlanOptions) -> PlanningOptions {
        var planning = options.planning
        planning.key = engine.planKeyMaterial?.key(salt: options.salt)
        return planning
    }

    /// The desired state at another revision (`--base`); nil with a warning when its manifests are invalid
    /// there (every change is then shown as introduced by this change). A base that cannot be read at all
    /// (an unknown ref, a shallow clone without it) is an error.
    private func baseDesiredState(at ref: String) throws(EngineError)
        -> (state: (ManifestSource, DesiredState)?, warnings: [Diagnostic]) {
        var baseRequest = request
        baseRequest.ref = ref
        baseRequest.workingTree = false
        baseRequest.memo = loaded.memo
        baseRequest.keepsMemo = false
        // A pull request that introduces the environment: the base has nothing to compare with.
        if let environment = request.environment,
           let configuration = try? ManifestLoader.configuration(baseRequest),
           configuration.environment(named: environment) == nil {
            return (nil, [.warning("the base \(ref) defines no environment \(environment) in provsync.yaml; every "
                                   + "change is shown as introduced by this change")])
        }
        let manifests: LoadedManifests
        do throws(DiagnosticsError) {
            manifests = try ManifestLoader.load(baseRequest)
        } catch {
            throw .unreadableBase(ref: ref, error.diagnostics)
        }
        let invalid = Diagnostic.warning("the manifests at --base \(ref) are invalid or read unset environment "
                                         + "variables; every change is shown as introduced by this change")
        guard manifests.isValid,
              case .success(var state) = DesiredState.resolve(manifests.manifestSet, environment: engine.environment)
        else { return (nil, [invalid]) }
        state.prune = manifests.configuration.prune
        return ((manifests.manifestSet.source, state), [])
    }
}

/// Live state and its pairing with the desired state.
package struct LiveState: Sendable {
    package var snapshot: LiveSnapshot
    package var reconciliation: Reconciliation
    /// The desired state with the server's spelling of the locations that depend on its configuration.
    package var desired: DesiredState
    /// Manifest location → the server's `source`, for the locations asked about.
    package var serverSpellings: [String: String]
}

/// What a plan holds beyond the manifests: `--target`, `--allow-replace`, `--base`, and whether it is saved.
package struct PlanOptions: Sendable {
    package var targets: [String]
    package var allowReplace: Bool
    package var salt: String
    /// Whether the plan records what a saved plan needs (the desired digest, unchanged fingerprints).
    package var recordsDigests: Bool
    /// `--base`: the pull request's base ref.
    package var base: String?
    /// `--max-deletes`: overrides `prune.max_deletes`.
    package var maxDeletes: Int?
    /// `--cascade`: installation deletes also remove their active resources.
    package var cascade: Bool
    /// `--changed-only` (with `base`): plan only the objects whose manifests differ from the base's.
    package var changedOnly = false
    /// The addresses `changedOnly` found, set by the workspace, or the scope a saved plan recorded
    /// (`apply PLANFILE`); nil plans every object.
    var scope: Set<ResourceAddress>?

    package init(targets: [String] = [], allowReplace: Bool = false, salt: String = Salt.random(),
                 recordsDigests: Bool = false, base: String? = nil, maxDeletes: Int? = nil, cascade: Bool = false,
                 changedOnly: Bool = false) {
        self.targets = targets
        self.allowReplace = allowReplace
        self.salt = salt
        self.recordsDigests = recordsDigests
        self.base = base
        self.maxDeletes = maxDeletes
        self.cascade = cascade
        self.changedOnly = changedOnly
    }

    var planning: PlanningOptions {
        var options = PlanningOptions(allowReplace: allowReplace, targets: targets, salt: salt,
                                      recordsDigests: recordsDigests, maxDeletes: maxDeletes, cascade: cascade)
        options.scope = scope
        return options
    }
}

/// A plan and the warnings met while making it (a `--base` that cannot be read).
package struct PlanResult: Sendable {
    package var executable: ExecutablePlan
    package var warnings: [Diagnostic]

    package var plan: Plan { executable.plan }
}

/// Chooses, for the live read, the listed objects whose details to read: those paired with a manifest that
/// needs them.
struct PairedDetails: DetailSelection {
    let desired: DesiredState
    /// `--changed-only`: only the objects at these addresses.
    var scope: Set<ResourceAddress>? = nil

    func identitiesNeedingDetails(of kind: ManifestKind, listed: LiveSnapshot) -> Set<String> {
        Reconciler.identitiesNeedingDetails(of: kind, desired: desired, listed: listed, scope: scope)
    }
}

/// Salts for plan digests.
package enum Salt {
    /// 16 random bytes as hex.
    package static func random() -> String {
        (0..<16).map { _ in
            let hex = String(UInt8.random(in: 0...255), radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
