import Foundation
import Hummingbird
import Logging

/// A running sandbox: both provider APIs and the admin side on one loopback port.
package final class SandboxServer: Sendable {
    /// The base URL of both APIs, e.g. `http://127.0.0.1:52113`.
    package let url: URL
    /// The bearer token the admin side requires (`SandboxConfiguration.adminToken`); nil when it is open.
    package let token: String?
    private let state: SandboxState
    private let serverTask: Task<Void, any Error>
    private let flushTask: Task<Void, Never>?
    private let stateFile: String?

    private init(url: URL, state: SandboxState, serverTask: Task<Void, any Error>, flushTask: Task<Void, Never>?,
                 stateFile: String?) {
        self.url = url
        self.token = state.configuration.adminToken
        self.state = state
        self.serverTask = serverTask
        self.flushTask = flushTask
        self.stateFile = stateFile
    }

    /// Starts a sandbox in this process and returns once it accepts connections.
    package static func start(_ configuration: SandboxConfiguration) async throws -> SandboxServer {
        if let problem = configuration.faults.problems.first {
            throw SandboxError("bad fault rules: \(problem.summary)")
        }
        let state = SandboxState(configuration: configuration, world: try initialWorld(configuration),
                                 agents: try AgentNetwork.load(configuration))
        let (ports, continuation) = AsyncStream<Int?>.makeStream()
        let application = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in
                try await SandboxHTTPAdapter.respond(to: request, state: state)
            },
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil
            ),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port)
                continuation.finish()
            },
            logger: quietLogger()
        )
        let serverTask = Task {
            defer { continuation.finish() }
            try await application.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() ?? nil,
              let url = URL(string: "http://\(configuration.host):\(port)") else {
            serverTask.cancel()
            let failure: (any Error)? = await { () async -> (any Error)? in
                do { try await serverTask.value; return nil } catch { return error }
            }()
            throw SandboxError("the sandbox could not listen on \(configuration.host):\(configuration.port)"
                               + (failure.map { ": \($0)" } ?? ""))
        }
        let flushTask = configuration.stateFile.map { path in
            Task.detached {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(100))
                    await flush(state, to: path)
                }
            }
        }
        return SandboxServer(url: url, state: state, serverTask: serverTask, flushTask: flushTask,
                             stateFile: configuration.stateFile)
    }

    /// Stops accepting requests and writes the state file one last time.
    package func stop() async {
        serverTask.cancel()
        _ = try? await serverTask.value
        flushTask?.cancel()
        _ = await flushTask?.value
        if let stateFile {
            await Self.flush(state, to: stateFile)
        }
    }

    /// Waits while the server runs; cancelling the waiting task stops the server (`provsync sandbox`
    /// cancels it on SIGINT or SIGTERM).
    package func waitUntilStopped() async {
        let serverTask = self.serverTask
        await withTaskCancellationHandler {
            _ = try? await serverTask.value
        } onCancel: {
            serverTask.cancel()
        }
    }

    private static func flush(_ state: SandboxState, to path: String) async {
        guard let world = await state.takeDirtySnapshot() else { return }
        do {
            try StateFile.write(world, to: path)
        } catch {
            await state.markDirty()
            FileHandle.standardError.write(Data("sandbox: \(error)\n".utf8))
        }
    }

    private static func initialWorld(_ configuration: SandboxConfiguration) throws -> SandboxWorld {
        var world = try storedWorld(configuration)
        world.providers = world.providers.mapValues { $0.readBack(localNetwork: configuration.localNetwork) }
        if let data = configuration.registryProviders {
            for provider in try RegistrySeed.providers(data, localNetwork: configuration.localNetwork) {
                world.providers[provider.id] = provider
            }
        }
        return world
    }

    private static func storedWorld(_ configuration: SandboxConfiguration) throws -> SandboxWorld {
        if let path = configuration.stateFile, let saved = try StateFile.read(path) {
            return saved
        }
        if let path = configuration.seedFile {
            guard let seeded = try StateFile.read(path) else { throw SandboxError("seed file \(path) does not exist") }
            return seeded
        }
        return .builtIn
    }

    private static func quietLogger() -> Logger {
        var logger = Logger(label: "provsync.sandbox")
        logger.logLevel = .critical
        return logger
    }
}

/// Translates between Hummingbird's requests and the sandbox's handlers, applying latency and faults.
enum SandboxHTTPAdapter {
    /// The largest body an API request may have.
    static let maxBodyBytes = 8 << 20
    /// The largest body of the admin side, whose state load carries a whole world (a 10,000-object world with
    /// agent cards is about 20 MiB).
    static let maxAdminBodyBytes = 512 << 20

    static func respond(to request: Request, state: SandboxState) async throws -> Response {
        let method = request.method.rawValue
        let path = request.uri.path
        guard let route = SandboxRoute(method: method, path: path) else {
            return encode(.detail(404, "Not Found"))
        }
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters {
            query[String(name)] = String(value)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: route.isAdmin ? maxAdminBodyBytes : maxBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return encode(.detail(413, "Request body too large"))
        }
        let sandboxRequest = SandboxRequest(
            method: method, path: path, query: query, authorization: request.headers[.authorization],
            host: request.head.authority, contentType: request.headers[.contentType],
            body: Array(buffer.readableBytesView)
        )
        // Latency models the network: the request is carried out as it arrives, and its answer leaves
        // `latency` after that, so the sandbox's own work is inside the latency, as a real API's is inside the
        // round trip its clients see. One sleep, to a deadline, so timer overshoot is paid once.
        let arrival = ContinuousClock.now
        let (latency, fault, response) = await state.receive(route, sandboxRequest)
        if latency > 0 {
            try await Task.sleep(until: arrival + .milliseconds(latency), clock: .continuous)
        }
        if fault.closesConnection {
            // Promise a body and close the connection without sending it: the client sees a dropped connection.
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(contentLength: 64) { _ in throw SandboxError("dropped connection") })
        }
        return encode(response)
    }

    private static func encode(_ response: SandboxResponse) -> Response {
        var headers = HTTPFields()
        if response.body != nil {
            headers[.contentType] = response.contentType
        }
        for (name, value) in response.headers {
            switch name {
            case "Retry-After": headers[.retryAfter] = value
            case "WWW-Authenticate": headers[.wwwAuthenticate] = value
            default: break
            }
        }
        let body = response.body.map { ResponseBody(byteBuffer: ByteBuffer(bytes: $0)) } ?? ResponseBody()
        return Response(status: HTTPResponse.Status(code: response.status), headers: headers, body: body)
    }
}
