import ProvsyncLive
import ProvsyncManifests
import ProvsyncModel
import ProvsyncPlanning

/// The flows of provsync (load → resolve → connect → read → plan → apply or drift) as functions that return
/// values: manifests, plans, reports and errors with their diagnostics. It prints nothing; progress goes to
/// the observer. The command line is options → one engine call → render → exit code.
package struct Engine: Sendable {
    /// Where `${env:…}` values and credentials come from.
    package var environment: [String: String]
    package var observer: any EngineObserver

    package init(environment: [String: String], observer: any EngineObserver = SilentEngineObserver()) {
        self.environment = environment
        self.observer = observer
    }

    /// The credential values of the environment and the headers made of them, for output to hide. Every
    /// credential variable counts, also one `Credentials` does not send (a password beside a token), and so
    /// does `PROVSYNC_PLAN_KEY`.
    package var secrets: SecretValues {
        CredentialVariables.standard.secrets(in: environment)
            .union(SecretValues([environment["PROVSYNC_PLAN_KEY"]].compactMap { $0 }))
    }

    /// `provsync validate`: reads and checks the manifests; no network. The result holds every diagnostic
    /// (errors included: it is invalid when any is an error); a source that cannot be read at all throws.
    package func validate(_ request: ManifestRequest) throws(EngineError) -> LoadedManifests {
        do throws(DiagnosticsError) {
            return try PhaseTimer(observer: observer).measure("read manifests") { () throws(DiagnosticsError) in
                try ManifestLoader.load(request)
            }
        } catch {
            throw .manifests(error.diagnostics, readable: false)
        }
    }

    /// `provsync validate --env …`: each named environment (none named: every one, or the plain load when
    /// `provsync.yaml` defines none) read and checked as `validate` does.
    package func validate(_ request: ManifestRequest, environments: [String]) throws(EngineError) -> [LoadedManifests] {
        do throws(DiagnosticsError) {
            return try PhaseTimer(observer: observer).measure("read manifests") { () throws(DiagnosticsError) in
                try ManifestLoader.loadEnvironments(request, named: environments)
            }
        } catch {
            throw .manifests(error.diagnostics, readable: false)
        }
    }

    /// `provsync environments`: the environments `provsync.yaml` defines at the request's revision.
    package func environments(_ request: ManifestRequest) throws(EngineError) -> [EnvironmentConfiguration] {
        do throws(DiagnosticsError) {
            return try ManifestLoader.configuration(request).environments
        } catch {
            throw .manifests(error.diagnostics, readable: false)
        }
    }

    /// Reads and checks the manifests (no API call while any is invalid), resolves their values, and
    /// connects to the APIs, starting the embedded sandbox when asked. The workspace's `close()` stops it.
    package func open(_ request: ManifestRequest, connection: ConnectionRequest) async throws(EngineError) -> Workspace {
        let loaded = try validate(request)
        guard loaded.isValid else { throw .manifests(loaded.diagnostics, readable: true) }
        let desired = try resolve(loaded)
        let connected = try await Connection.open(connection.reportingRetries(to: observer), configuration: loaded.configuration,
                                                  source: loaded.manifestSet.source, environment: environment)
        return Workspace(engine: self, request: request, loaded: loaded, desired: desired, connection: connected)
    }

    /// The desired state with every `${env:…}` resolved, and `prune:` from `provsync.yaml`.
    func resolve(_ loaded: LoadedManifests) throws(EngineError) -> DesiredState {
        let resolved = PhaseTimer(observer: observer).measure("resolve values") {
            DesiredState.resolve(loaded.manifestSet, environment: environment)
        }
        switch resolved {
        case .success(var state):
            state.prune = loaded.configuration.prune
            return state
        case .failure(let error): throw .unresolvedValues(error.diagnostics)
        }
    }
}

/// Where the APIs are and how hard to drive them: the command line's `--api-url`, `--store-url`,
/// `--agents-url`, `--sandbox` and `--parallelism`, over `provsync.yaml`'s settings.
package struct ConnectionRequest: Sendable {
    package var apiURL: String?
    package var storeURL: String?
    package var agentsURL: String?
    /// Start an embedded sandbox on loopback, its state in `.provsync/sandbox.json` in the repository.
    package var sandbox: Bool
    package var parallelism: Int?
    /// Timeouts and retries of both clients (tests make them fast).
    package var clientOptions: APIClientOptions

    package init(apiURL: String? = nil, storeURL: String? = nil, agentsURL: String? = nil, sandbox: Bool = false,
                 parallelism: Int? = nil, clientOptions: APIClientOptions = APIClientOptions()) {
        self.apiURL = apiURL
        self.storeURL = storeURL
        self.agentsURL = agentsURL
        self.sandbox = sandbox
        self.parallelism = parallelism
        self.clientOptions = clientOptions
    }

    /// The default `--parallelism`.
    package static let defaultParallelism = 8
}
