import Foundation
import ProvsyncLive
import ProvsyncModel
import ProvsyncSandbox

/// The APIs a workspace talks to: their endpoints, the read-only client and the writing one, and the
/// embedded sandbox when one was started.
struct Connection: Sendable {
    var endpoints: APIEndpoints
    var credentials: APICredentials
    var parallelism: Int
    var reader: LiveReader
    var writer: LiveWriter
    var sandbox: SandboxServer?

    static func open(_ request: ConnectionRequest, configuration: ProjectConfiguration, source: ManifestSource,
                     environment: [String: String]) async throws(EngineError) -> Connection {
        let sandbox: SandboxServer?
        let endpoints: APIEndpoints
        if request.sandbox {
            let server = try await startSandbox(in: source.repository)
            (sandbox, endpoints) = (server, APIEndpoints(apiURL: server.url))
        } else {
            do throws(EndpointError) {
                endpoints = try APIEndpoints.resolve(
                    apiURL: request.apiURL ?? configuration.apiURL, storeURL: request.storeURL ?? configuration.storeURL,
                    agentsURL: request.agentsURL ?? configuration.agentsURL
                )
            } catch {
                throw .connection(error.message)
            }
            sandbox = nil
        }
        let credentials = APICredentials(variables: configuration.credentialVariables, environment: environment)
        let parallelism = request.parallelism ?? configuration.parallelism ?? ConnectionRequest.defaultParallelism
        var options = clientOptions(request.clientOptions, environment: environment)
        options.maxConnections = parallelism
        options.network = NetworkSettings(environment: environment)
        return Connection(
            endpoints: endpoints, credentials: credentials, parallelism: parallelism,
            reader: LiveReader(endpoints: endpoints, credentials: credentials, options: options),
            writer: LiveWriter(endpoints: endpoints, credentials: credentials, options: options),
            sandbox: sandbox
        )
    }

    /// The variable that caps the wait between retries, in seconds. For provsync's own tests only (a test
    /// of a dead server would otherwise wait out the whole backoff); not a setting to rely on.
    static let testRetryDelayVariable = "PROVSYNC_TEST_RETRY_DELAY"

    /// `options` with `PROVSYNC_TEST_RETRY_DELAY`, when it is a number of seconds, as its backoff.
    static func clientOptions(_ options: APIClientOptions, environment: [String: String]) -> APIClientOptions {
        guard let text = environment[testRetryDelayVariable], let delay = Double(text), delay.isFinite, delay >= 0
        else { return options }
        var options = options
        options.retry.baseDelay = delay
        options.retry.maxDelay = delay
        options.retry.maxRetryAfter = delay
        return options
    }

    /// The embedded sandbox of `--sandbox`, its state in `.provsync/sandbox.json` (a folder that ignores itself).
    private static func startSandbox(in repository: String) async throws(EngineError) -> SandboxServer {
        let directory = URL(fileURLWithPath: repository).appendingPathComponent(".provsync")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let ignore = directory.appendingPathComponent(".gitignore")
            if !FileManager.default.fileExists(atPath: ignore.path) {
                try Data("# provsync's local state (the embedded sandbox); never committed\n*\n".utf8).write(to: ignore)
            }
            return try await SandboxServer.start(SandboxConfiguration(
                port: 0, stateFile: directory.appendingPathComponent("sandbox.json").path
            ))
        } catch {
            throw .connection("\(error)")
        }
    }
}

extension ConnectionRequest {
    /// `--request-timeout`: the longest one attempt of a request may take, in seconds (default 30). The stall
    /// limit follows it (half of it).
    package var requestTimeout: Double {
        get { clientOptions.timeout }
        set { clientOptions.timeout = newValue }
    }

    /// The same request whose clients also tell `observer` of every retry (`Engine.open` does this).
    func reportingRetries(to observer: any EngineObserver) -> ConnectionRequest {
        var request = self
        let earlier = clientOptions.onRetry
        request.clientOptions.onRetry = { notice in
            earlier(notice)
            observer.retrying(notice)
        }
        return request
    }
}

extension ProjectConfiguration {
    /// Which variables hold each API's credentials: the ones an environment's `credentials:` names, else the
    /// standard `PROVSYNC_*` ones.
    var credentialVariables: CredentialVariables {
        CredentialVariables(named: selectedEnvironment?.credentials ?? EnvironmentCredentials())
    }
}
