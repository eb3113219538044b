import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// A tiny HTTP/1.1 server on 127.0.0.1 whose every answer is scripted by the test, for the transport's loopback
// tests: slow bodies, stalls, oversized answers, redirects, keep-alive, proxies. It is written on POSIX sockets
// (no Foundation networking, no NIO) so that nothing between the client and the bytes on the wire smooths over
// what the test wants to happen.

/// One header line of a request, as sent.
package struct ScriptedHeader: Sendable, Hashable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A request as `ScriptedHTTPServer` parsed it.
package struct ScriptedRequest: Sendable, Hashable, CustomStringConvertible {
    /// 1-based number of the TCP connection it arrived on, in the order the server accepted them.
    package var connection: Int
    package var method: String
    /// As sent: origin-form (`/providers/installed`) to a server, absolute-form
    /// (`http://api.invalid:8080/providers/installed`) to a proxy.
    package var target: String
    /// `HTTP/1.1`.
    package var version: String
    package var headers: [ScriptedHeader]
    /// Read per `Content-Length` (empty without one).
    package var body: Data

    package init(connection: Int, method: String, target: String, version: String, headers: [ScriptedHeader],
                 body: Data) {
        self.connection = connection
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (compared case-insensitively), nil when absent.
    package func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The path and query of the target, also for an absolute-form target.
    package var path: String {
        guard let schemeEnd = target.range(of: "://") else { return target }
        let rest = target[schemeEnd.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }

    package var description: String { "\(method) \(target) \(version) (connection \(connection))" }
}

/// One step of the server's reply to a request. A script that ends without `.close` or `.holdOpen` keeps the
/// connection open for the next request (keep-alive), unless the request asked for `Connection: close`.
package enum ReplyStep: Sendable, Hashable {
    /// Writes the bytes (all of them; a client that went away ends the connection).
    case send(Data)
    /// Waits this long before the next step: server-side pacing.
    case pause(milliseconds: Int)
    /// Closes the connection.
    case close
    /// Says nothing more and keeps the connection open until the client closes it (or the server stops).
    case holdOpen
}

/// Ready-made replies.
package enum HTTPReply {
    /// A status line and headers, ending with the blank line.
    package static func head(_ status: Int, _ headers: [(String, String)] = []) -> Data {
        var text = "HTTP/1.1 \(status) \(reason(status))\r\n"
        for (name, value) in headers {
            text += "\(name): \(value)\r\n"
        }
        text += "\r\n"
        return Data(text.utf8)
    }

    /// A complete answer with a `Content-Length`.
    package static func answer(_ status: Int, _ body: Data, headers: [(String, String)] = []) -> [ReplyStep] {
        let all = [("Content-Type", "application/json"), ("Content-Length", "\(body.count)")] + headers
        return [.send(head(status, all) + body)]
    }

    /// A complete answer with a `Content-Length`, its body given as text.
    package static func answer(_ status: Int, _ body: String = "", headers: [(String, String)] = []) -> [ReplyStep] {
        answer(status, Data(body.utf8), headers: headers)
    }

    /// A complete chunked answer (no length announced), in chunks of `chunkSize` bytes.
    package static func chunked(_ status: Int, _ body: Data, chunkSize: Int = 64 << 10,
                                headers: [(String, String)] = []) -> [ReplyStep] {
        let all = [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")] + headers
        var steps: [ReplyStep] = [.send(head(status, all))]
        let size = max(1, chunkSize)
        var start = body.startIndex
        while start < body.endIndex {
            let end = body.index(start, offsetBy: size, limitedBy: body.endIndex) ?? body.endIndex
            let chunk = body[start..<end]
            steps.append(.send(Data(String(chunk.count, radix: 16).utf8) + Data("\r\n".utf8) + chunk + Data("\r\n".utf8)))
            start = end
        }
        steps.append(.send(Data("0\r\n\r\n".utf8)))
        return steps
    }

    /// `data` one byte at a time, `milliseconds` apart (the first byte after the first pause).
    package static func trickle(_ data: Data, everyMilliseconds milliseconds: Int) -> [ReplyStep] {
        data.flatMap { byte -> [ReplyStep] in [.pause(milliseconds: milliseconds), .send(Data([byte]))] }
    }

    /// `count` bytes of `byte` (a space by default: valid JSON padding).
    package static func filler(_ count: Int, byte: UInt8 = UInt8(ascii: " ")) -> Data {
        Data(repeating: byte, count: max(0, count))
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 307: "Temporary Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

/// A fixture failure (no socket, no port).
package struct ScriptedServerError: Error, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}

/// An HTTP/1.1 server on `127.0.0.1:port` (an ephemeral port) that answers each request as `handler` scripts it
/// and records what it saw. Connections are accepted on a thread of their own and each is served on its own
/// thread, so a reply that pauses or holds its connection open never delays another connection.
///
/// A request whose head is not HTTP (a TLS handshake, say) is answered `400` and its connection closed.
/// `stop()` (also run when the server is released) closes every socket and waits for the threads to end.
package final class ScriptedHTTPServer: Sendable {
    package let port: UInt16
    private let state: ServerState

    /// Listens on an ephemeral loopback port; `handler` is called on a connection's thread for each request.
    package init(_ handler: @escaping @Sendable (ScriptedRequest) -> [ReplyStep]) throws {
        let listener = try Socket.listening(backlog: 64)
        port = listener.port
        state = ServerState(listener: listener.fd, handler: handler)
        state.startAccepting()
    }

    deinit {
        state.stop()
    }

    /// `http://127.0.0.1:PORT`.
    package var url: URL {
        URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// TCP connections accepted so far.
    package var connectionCount: Int { state.read { $0.accepted } }

    /// Connections that have ended (the client closed, the script closed, or the server stopped).
    package var closedConnectionCount: Int { state.read { $0.closed } }

    /// Every request parsed so far, oldest first.
    package var requests: [ScriptedRequest] { state.read { $0.requests } }

    /// Connections whose first bytes were not an HTTP request head.
    package var malformedCount: Int { state.read { $0.malformed } }

    /// Whether `count` requests have arrived, waiting for them up to `seconds` (a hang guard, not a measure of
    /// time); false as well when the server stopped first.
    @discardableResult
    package func waitForRequests(_ count: Int, seconds: Double = 60) async -> Bool {
        await state.wait(seconds: seconds) { $0.requests.count >= count }
    }

    /// Whether `count` connections have ended (the client went away, say), waiting up to `seconds` (a hang
    /// guard, not a measure of time).
    package func waitForClosedConnections(_ count: Int, seconds: Double = 60) async -> Bool {
        await state.wait(seconds: seconds) { $0.closed >= count }
    }

    /// Closes the listener and every connection and waits (a few seconds at most) for the threads to end.
    package func stop() {
        state.stop()
    }
}

/// A loopback listener that never accepts, with its backlog full: a client's connect to it hangs (its SYN is
/// dropped) until the client's own connect timeout. Filler connections of its own occupy the queue.
package final class FullBacklogListener: Sendable {
    package let port: UInt16
    private let listenFD: Int32
    private let fillers: [Int32]

    package init() throws {
        let listener = try Socket.listening(backlog: 0)
        var fillers: [Int32] = []
        // Connect until one connect does not complete: the queue is full from then on. On Linux a backlog of 0
        // holds one connection, so the second filler normally hangs; the probe copes with other counts.
        var full = false
        for _ in 0..<16 {
            guard let filler = Socket.startConnect(port: listener.port) else { break }
            fillers.append(filler)
            if !Socket.waitWritable(filler, milliseconds: 300) {
                full = true
                break
            }
        }
        guard full else {
            for fd in fillers { close(fd) }
            close(listener.fd)
            throw ScriptedServerError("could not fill the backlog of a loopback listener")
        }
        port = listener.port
        listenFD = listener.fd
        self.fillers = fillers
    }

    deinit {
        for fd in fillers { close(fd) }
        close(listenFD)
    }

    /// `http://127.0.0.1:PORT`.
    package var url: URL {
        URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/")
    }
}

// MARK: - State and threads

/// What the threads share; guarded by `condition`.
private struct Record {
    var accepted = 0
    var closed = 0
    var malformed = 0
    var requests: [ScriptedRequest] = []
    var stopping = false
    var threads = 0
    var openConnections: Set<Int32> = []
    var listenerOpen = true
}

private final class ServerState: @unchecked Sendable {
    private let listener: Int32
    private let handler: @Sendable (ScriptedRequest) -> [ReplyStep]
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var record = Record()
    private var waiters: [Int: Waiter] = [:]
    private var nextWaiter = 0

    private struct Waiter {
        var ready: (Record) -> Bool
        var continuation: CheckedContinuation<Bool, Never>
    }

    init(listener: Int32, handler: @escaping @Sendable (ScriptedRequest) -> [ReplyStep]) {
        self.listener = listener
        self.handler = handler
    }

    func read<Value>(_ body: (Record) -> Value) -> Value {
        condition.lock()
        defer { condition.unlock() }
        return body(record)
    }

    /// Changes the record, then wakes the waiters it satisfies (all of them once the server stops).
    private func update(_ body: (inout Record) -> Void) {
        condition.lock()
        body(&record)
        var resumed: [(CheckedContinuation<Bool, Never>, Bool)] = []
        for (id, waiter) in waiters {
            let ready = waiter.ready(record)
            guard ready || record.stopping else { continue }
            waiters[id] = nil
            resumed.append((waiter.continuation, ready))
        }
        condition.broadcast()
        condition.unlock()
        for (continuation, ready) in resumed { continuation.resume(returning: ready) }
    }

    /// Whether `ready` holds, waiting up to `seconds` for it.
    func wait(seconds: Double, until ready: @escaping (Record) -> Bool) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            condition.lock()
            if record.stopping || ready(record) {
                let now = ready(record)
                condition.unlock()
                continuation.resume(returning: now)
                return
            }
            nextWaiter += 1
            let id = nextWaiter
            waiters[id] = Waiter(ready: ready, continuation: continuation)
            condition.unlock()
            DispatchQueue.global().asyncAfter(deadline: .now() + max(0, seconds)) { [self] in
                condition.lock()
                let waiter = waiters.removeValue(forKey: id)
                let now = waiter.map { $0.ready(record) } ?? false
                condition.unlock()
                waiter?.continuation.resume(returning: now)
            }
        }
    }

    /// Whether `ready` holds, blocking the calling thread up to `seconds` for it.
    private func block(seconds: Double, until ready: (Record) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while !ready(record) {
            if !condition.wait(until: deadline) { return ready(record) }
        }
        return true
    }

    private var isStopping: Bool { read { $0.stopping } }

    func startAccepting() {
        update { $0.threads += 1 }
        let thread = Thread { [self] in
            acceptLoop()
            update { $0.threads -= 1 }
        }
        thread.name = "scripted-http-accept"
        thread.start()
    }

    func stop() {
        // Wake blocked calls. Each thread closes its own socket after taking it out of the record, so while the
        // lock is held every descriptor listed is still open and still the server's (never a reused number).
        condition.lock()
        let wasStopping = record.stopping
        record.stopping = true
        for fd in record.openConnections { shutdown(fd, Int32(SHUT_RDWR)) }
        if record.listenerOpen { shutdown(listener, Int32(SHUT_RDWR)) }
        condition.unlock()
        update { _ in }
        if wasStopping { return }
        _ = block(seconds: 5) { $0.threads == 0 }
    }

    private func acceptLoop() {
        defer {
            update { $0.listenerOpen = false }
            close(listener)
        }
        while !isStopping {
            guard Socket.waitReadable(listener, milliseconds: 100) else { continue }
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == EAGAIN || errno == ECONNABORTED { continue }
                return
            }
            Socket.prepareConnection(fd)
            var number = 0
            var refused = false
            update { record in
                if record.stopping {
                    refused = true
                    return
                }
                record.accepted += 1
                number = record.accepted
                record.openConnections.insert(fd)
                record.threads += 1
            }
            if refused {
                close(fd)
                return
            }
            let thread = Thread { [self, number] in
                serve(fd, connection: number)
                update { record in
                    record.openConnections.remove(fd)
                    record.closed += 1
                    record.threads -= 1
                }
                close(fd)
            }
            thread.name = "scripted-http-\(number)"
            thread.start()
        }
    }

    /// Serves requests on one connection until it ends.
    private func serve(_ fd: Int32, connection: Int) {
        var buffer = Data()
        while !isStopping {
            let parsed: ParsedHead
            switch readHead(fd, buffer: &buffer) {
            case .closed:
                return
            case .malformed:
                update { $0.malformed += 1 }
                _ = Socket.sendAll(fd, HTTPReply.head(400, [("Content-Length", "0"), ("Connection", "close")]))
                return
            case .head(let head):
                parsed = head
            }
            let length = parsed.contentLength
            while buffer.count < length {
                guard let more = receive(fd) else { return }
                buffer.append(more)
            }
            let body = Data(buffer.prefix(length))
            buffer = Data(buffer.dropFirst(length))
            let request = ScriptedRequest(connection: connection, method: parsed.method, target: parsed.target,
                                          version: parsed.version, headers: parsed.headers, body: body)
            update { $0.requests.append(request) }
            let steps = handler(request)
            guard play(steps, on: fd) else { return }
            if request.header("Connection")?.lowercased() == "close" { return }
        }
    }

    /// Plays `steps`; false when the connection is to end.
    private func play(_ steps: [ReplyStep], on fd: Int32) -> Bool {
        for step in steps {
            if isStopping { return false }
            switch step {
            case .send(let data):
                guard Socket.sendAll(fd, data) else { return false }
            case .pause(let milliseconds):
                pause(milliseconds)
            case .close:
                return false
            case .holdOpen:
                while receive(fd) != nil {}
                return false
            }
        }
        return true
    }

    private func pause(_ milliseconds: Int) {
        let deadline = Date(timeIntervalSinceNow: Double(max(0, milliseconds)) / 1000)
        while !isStopping {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return }
            usleep(useconds_t(min(left, 0.02) * 1_000_000))
        }
    }

    /// The next bytes of the connection; nil when the peer closed it, it failed, or the server is stopping.
    private func receive(_ fd: Int32) -> Data? {
        while !isStopping {
            guard Socket.waitReadable(fd, milliseconds: 100) else { continue }
            var bytes = [UInt8](repeating: 0, count: 64 << 10)
            let count = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { return Data(bytes[0..<count]) }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            return nil
        }
        return nil
    }

    private enum HeadResult {
        case head(ParsedHead)
        case malformed
        case closed
    }

    private static let headEnd = Data("\r\n\r\n".utf8)
    private static let maxHeadBytes = 64 << 10

    private func readHead(_ fd: Int32, buffer: inout Data) -> HeadResult {
        while true {
            if let end = buffer.range(of: Self.headEnd) {
                let head = Data(buffer[buffer.startIndex..<end.lowerBound])
                buffer = Data(buffer[end.upperBound...])
                return ParsedHead(head).map(HeadResult.head) ?? .malformed
            }
            if !ParsedHead.looksLikeHTTP(buffer) || buffer.count > Self.maxHeadBytes { return .malformed }
            guard let more = receive(fd) else { return .closed }
            buffer.append(more)
        }
    }
}

/// A request line and headers.
private struct ParsedHead {
    var method: String
    var target: String
    var version: String
    var headers: [ScriptedHeader]

    init?(_ data: Data) {
        guard Self.looksLikeHTTP(data) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n")
        guard let requestLine = lines.first else { return nil }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/") else { return nil }
        method = String(parts[0])
        target = String(parts[1])
        version = String(parts[2])
        headers = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append(ScriptedHeader(name, value))
        }
    }

    var contentLength: Int {
        headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
    }

    /// Whether the bytes so far can be the start of a request head: printable ASCII and line breaks only (a
    /// TLS ClientHello starts with 0x16).
    static func looksLikeHTTP(_ data: Data) -> Bool {
        data.allSatisfy { byte in
            (0x20..<0x7F).contains(byte) || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\t")
        }
    }
}

// MARK: - Sockets

private enum Socket {
    static func newTCP() -> Int32 {
        #if os(Linux)
        socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        socket(AF_INET, SOCK_STREAM, 0)
        #endif
    }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        address.sin_port = port.bigEndian
        return address
    }

    /// A socket bound to an ephemeral loopback port and listening.
    static func listening(backlog: Int32) throws -> (fd: Int32, port: UInt16) {
        let fd = newTCP()
        guard fd >= 0 else { throw ScriptedServerError("socket() failed: errno \(errno)") }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound, listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw ScriptedServerError("bind/listen on 127.0.0.1 failed: errno \(code)")
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// A non-blocking socket whose connect to the loopback `port` has started; nil when it failed outright.
    static func startConnect(port: UInt16) -> Int32? {
        let fd = newTCP()
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK)
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 || errno == EINPROGRESS else {
            close(fd)
            return nil
        }
        return fd
    }

    /// SIGPIPE off where the platform needs a socket option for it.
    static func prepareConnection(_ fd: Int32) {
        #if canImport(Darwin)
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Bool {
        waitFor(fd, events: Int16(POLLIN), milliseconds: milliseconds)
    }

    /// Whether `fd` became writable (for a connecting socket: connected) within `milliseconds`.
    static func waitWritable(_ fd: Int32, milliseconds: Int32) -> Bool {
        guard waitFor(fd, events: Int16(POLLOUT), milliseconds: milliseconds) else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0
    }

    private static func waitFor(_ fd: Int32, events: Int16, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        let ready = poll(&entry, 1, milliseconds)
        // An error or hang-up counts as ready: the call that follows reports it.
        return ready > 0
    }

    /// Writes all of `data`; false when the peer went away.
    static func sendAll(_ fd: Int32, _ data: Data) -> Bool {
        #if os(Linux)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        return data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            guard let base = bytes.baseAddress else { return true }
            var offset = 0
            while offset < bytes.count {
                let sent = send(fd, base + offset, bytes.count - offset, flags)
                if sent > 0 {
                    offset += sent
                } else if sent < 0 && errno == EINTR {
                    continue
                } else {
                    return false
                }
            }
            return true
        }
    }
}
