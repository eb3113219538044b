import Foundation
@testable import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import Testing

/// The libcurl transport against scripted loopback servers: every limit is enforced on the wire (whole-request,
/// connect and stall timeouts, answer and error caps), redirects are refused, connections are kept alive and
/// bounded, cancellation stops the transfer, and proxies are taken from the settings given, never guessed.
///
/// No test measures time. Where a limit is exercised, the server's pacing (server behaviour, not test timing)
/// makes the transfer last far longer than the limit, so only an enforced limit ends it the way the test expects;
/// every wait has a generous bound, and the suite's time limit is a hang guard.
@Suite("HTTP transport on loopback", .timeLimit(.minutes(3)))
struct TransportTests {
    // MARK: Timeouts

    @Test("an answer trickling in past the whole-request timeout fails as a timeout")
    func wholeRequestTimeout() async throws {
        // 60 bytes, one every 200 ms: 12 s in all, never slow enough to count as a stall.
        let server = try ScriptedHTTPServer { _ in
            [.send(HTTPReply.head(200, [("Content-Type", "application/json"), ("Content-Length", "60")]))]
                + HTTPReply.trickle(HTTPReply.filler(60), everyMilliseconds: 200)
        }
        defer { server.stop() }
        let client = Self.client(server.url, timeout: 1, stallTimeout: 30)
        let error = try #require(await apiError { () async throws(APIError) in try await client.send(Self.installed) })
        #expect(error.kind == .timeout, "\(error)")
        #expect(error.status == nil)
        #expect(error.message.contains("no complete answer"), "\(error)")
        #expect(error.message.contains("within 1 s"), "\(error)")
        #expect(error.attempts == 1)
    }

    @Test("headers followed by silence fail as a stall, not after the request timeout")
    func stalledAnswer() async throws {
        let server = try ScriptedHTTPServer { _ in
            [.send(HTTPReply.head(200, [("Content-Type", "application/json"), ("Content-Length", "10")])), .holdOpen]
        }
        defer { server.stop() }
        let client = Self.client(server.url, timeout: 60, stallTimeout: 1)
        let error = try #require(await apiError { () async throws(APIError) in try await client.send(Self.installed) })
        #expect(error.kind == .timeout, "\(error)")
        // The message tells a stall from the 60 s limit: only a stall ends the transfer before that limit.
        #expect(error.message.contains("stalled"), "\(error)")
        #expect(!error.message.contains("within 60 s"), "\(error)")
    }

    @Test("a connect that hangs fails at the connect timeout as a connection failure")
    func connectTimeout() async throws {
        // The request timeout is longer than the suite's time limit (and curl's own default connect timeout is
        // 300 s): without the connect timeout this test would not end in time, so it fails rather than passing late.
        let listener = try FullBacklogListener()
        let client = Self.client(listener.url, timeout: 600, connectTimeout: 1)
        let read = try #require(await apiError { () async throws(APIError) in try await client.send(Self.installed) })
        #expect(read.kind == .connectionFailed, "\(read)")
        #expect(read.message.contains("could not connect"), "\(read)")
        #expect(read.message.contains("within 1 s"), "\(read)")
        // Nothing was sent, so even a write's outcome is known (and it may be retried).
        let write = try #require(await apiError { () async throws(APIError) in
            try await client.send(APIRequest(.post, .store, ["providers", "install"], body: Data("{}".utf8)))
        })
        #expect(write.kind == .connectionFailed, "\(write)")
        #expect(!write.isOutcomeUnknown, "\(write)")
    }

    @Test("a connection dropped in the middle of the body is reported as lost")
    func connectionLost() async throws {
        let server = try ScriptedHTTPServer { request in
            if request.path.hasSuffix("/empty") { return [.close] }
            return [.send(HTTPReply.head(200, [("Content-Length", "100")]) + HTTPReply.filler(10)), .close]
        }
        defer { server.stop() }
        let client = Self.client(server.url)
        let partial = try #require(await apiError { () async throws(APIError) in try await client.send(Self.installed) })
        #expect(partial.kind == .connectionLost, "\(partial)")
        let empty = try #require(await apiError { () async throws(APIError) in
            try await client.send(APIRequest(.get, .store, ["providers", "empty"]))
        })
        #expect(empty.kind == .connectionLost, "\(empty)")
    }

    // MARK: Size caps

    @Test("a successful answer announced longer than the answer cap is refused")
    func answerCapWithLength() async throws {
        let server = try ScriptedHTTPServer { _ in HTTPReply.answer(200, HTTPReply.filler(2 << 20)) }
        defer { server.stop() }
        let client = Self.client(server.url, maxAnswerBytes: 1 << 20)
        let error = try #require(await apiError { () async throws(APIError) in try await client.send(Self.installed) })
        #expect(error.kind == .invalidResponse, "\(error)")
        #expect(error.message.contains("larger than 1 MiB"), "\(error)")
    }

    @Test("a chunked answer growing past the answer cap is refused")
    func answerCapChunked() async throws {
        let server = try ScriptedHTTPServer { _ in HTTPReply.chunked(200, HTTPReply.filler(2 << 20)) }
        defer { server.stop() }
        let client = Self.client(server.url, maxAnswerBytes: 1 << 20)
        let error = try #require(await apiError { () async throws(APIError) in try await client.send(Self.installed) })
        #expect(error.kind == .invalidResponse, "\(error)")
        #expect(error.message.contains("larger than 1 MiB"), "\(error)")
    }

    @Test("a compressed answer is capped by its decoded size, not its size on the wire")
    func answerCapCompressed() async throws {
        // About 13 KiB of gzip that inflates to 2 MiB.
        let bomb = Gzip.repeatedBytes(UInt8(ascii: " "), count: 2 << 20)
        #expect(bomb.count < 64 << 10)
        let server = try ScriptedHTTPServer { _ in HTTPReply.answer(200, bomb, headers: [("Content-Encoding", "gzip")]) }
        defer { server.stop() }
        let client = Self.client(server.url, maxAnswerBytes: 1 << 20)
        let error = try #require(await apiError { () async throws(APIError) in try await client.send(Self.installed) })
        #expect(error.kind == .invalidResponse, "\(error)")
        #expect(error.message.contains("larger than 1 MiB"), "\(error)")

        // The same encoding under the cap is decoded and read whole.
        let small = Gzip.repeatedBytes(UInt8(ascii: " "), count: 100_000)
        let fine = try ScriptedHTTPServer { _ in HTTPReply.answer(200, small, headers: [("Content-Encoding", "gzip")]) }
        defer { fine.stop() }
        let response = try await Self.client(fine.url, maxAnswerBytes: 1 << 20).send(Self.installed)
        #expect(response.body == HTTPReply.filler(100_000))
    }

    @Test("answers of exactly the answer cap are read whole, with a length or chunked")
    func answerAtCap() async throws {
        let body = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 % 251) })
        let server = try ScriptedHTTPServer { request in
            request.path.hasSuffix("/chunked") ? HTTPReply.chunked(200, body) : HTTPReply.answer(200, body)
        }
        defer { server.stop() }
        let client = Self.client(server.url, maxAnswerBytes: 1 << 20)
        let withLength = try await client.send(Self.installed)
        #expect(withLength.status == 200)
        #expect(withLength.body == body)
        let chunked = try await client.send(APIRequest(.get, .store, ["providers", "chunked"]))
        #expect(chunked.body == body)
    }

    @Test("an error answer is read only up to the error cap, and its message stays short")
    func errorCap() async throws {
        let server = try ScriptedHTTPServer { _ in
            HTTPReply.answer(500, Data(repeating: UInt8(ascii: "e"), count: 3 << 20), headers: [("X-Note", "big")])
        }
        defer { server.stop() }
        let client = Self.client(server.url, maxErrorBytes: 64 << 10)
        let error = try #require(await apiError { () async throws(APIError) in try await client.send(Self.installed) })
        #expect(error.kind == .serverError, "\(error.kind)")
        #expect(error.status == 500)
        #expect(error.message.count < 2_000, "a message of \(error.message.count) characters")
        #expect(error.message.contains("64 KiB"), "\(error.message.suffix(200))")
    }

    @Test("an error answer longer than the answer cap is still reported with its status")
    func errorLongerThanAnswerCap() async throws {
        // The answer cap is for successful answers; a 500 with a long (announced) body is a server error, which
        // reads retry, not an invalid answer, which they do not.
        let server = try ScriptedHTTPServer { _ in
            HTTPReply.answer(500, Data(repeating: UInt8(ascii: "e"), count: 3 << 20))
        }
        defer { server.stop() }
        let client = Self.client(server.url, maxAnswerBytes: 1 << 20, maxErrorBytes: 64 << 10)
        let error = try #require(await apiError { () async throws(APIError) in try await client.send(Self.installed) })
        #expect(error.kind == .serverError, "\(error)")
        #expect(error.status == 500, "\(error)")
    }

    // MARK: Redirects, connections, cancellation

    @Test("header names are matched in any case and values trimmed: Retry-After in odd case still counts")
    func headerNamesInAnyCase() async throws {
        let server = try ScriptedHTTPServer { _ in HTTPReply.answer(429, "{}", headers: [("rEtRy-AfTeR", "  7\t")]) }
        defer { server.stop() }
        let client = Self.client(server.url)
        let error = try #require(await apiError { () async throws(APIError) in try await client.send(Self.installed) })
        #expect(error.status == 429, "\(error)")
        #expect(error.retryAfterSeconds == 7, "\(error)")
    }

    @Test("a redirect is not followed: its target never hears of the request or its credentials")
    func redirectRefused() async throws {
        let elsewhere = try ScriptedHTTPServer { _ in HTTPReply.answer(200, "[]") }
        defer { elsewhere.stop() }
        let location = elsewhere.url.absoluteString + "/providers/installed"
        let server = try ScriptedHTTPServer { _ in HTTPReply.answer(302, "", headers: [("Location", location)]) }
        defer { server.stop() }
        let client = Self.client(server.url, credentials: APICredentials(.bearer(Self.token)))
        let error = try #require(await apiError { () async throws(APIError) in try await client.send(Self.installed) })
        #expect(error.status == 302, "\(error)")
        #expect(error.kind == .unexpectedStatus, "\(error)")
        #expect(error.message.contains("not followed"), "\(error)")
        #expect(server.requests.count == 1)
        #expect(elsewhere.connectionCount == 0)
        #expect(elsewhere.requests.isEmpty)
        #expect(server.requests.first?.header("Authorization") == "Bearer \(Self.token)")
    }

    @Test("sequential requests reuse one kept-alive connection")
    func keepAlive() async throws {
        let server = try ScriptedHTTPServer { _ in HTTPReply.answer(200, "[]") }
        defer { server.stop() }
        let client = Self.client(server.url)
        for _ in 0..<20 {
            let response = try await client.send(Self.installed)
            #expect(response.body == Data("[]".utf8))
        }
        #expect(server.requests.count == 20)
        #expect(server.connectionCount <= 2, "\(server.connectionCount) connections for 20 requests")
    }

    @Test("concurrent requests open no more connections than maxConnections")
    func connectionBound() async throws {
        let server = try ScriptedHTTPServer { _ in [.pause(milliseconds: 50)] + HTTPReply.answer(200, "[]") }
        defer { server.stop() }
        let client = Self.client(server.url, maxConnections: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask { _ = try await client.send(Self.installed) }
            }
            try await group.waitForAll()
        }
        #expect(server.requests.count == 12)
        #expect(server.connectionCount <= 2, "\(server.connectionCount) connections with maxConnections 2")
    }

    @Test("cancelling a request in flight ends it as cancelled and drops its connection")
    func cancellation() async throws {
        let server = try ScriptedHTTPServer { _ in [.holdOpen] }
        defer { server.stop() }
        let client = Self.client(server.url, timeout: 60, stallTimeout: 60)
        let task = Task { await apiError { () async throws(APIError) in try await client.send(Self.installed) } }
        // Cancel only once the request is on the wire, so the transfer itself must be stopped.
        #expect(await server.waitForRequests(1))
        task.cancel()
        let error = try #require(await task.value)
        #expect(error.kind == .cancelled, "\(error)")
        #expect(await server.waitForClosedConnections(1), "the cancelled transfer's connection stayed open")
    }

    // MARK: Proxies

    @Test("http_proxy carries http requests in absolute form, also to a host only the proxy can resolve")
    func httpProxy() async throws {
        let proxy = try ScriptedHTTPServer { _ in HTTPReply.answer(200, "[]") }
        defer { proxy.stop() }
        let network = NetworkSettings(environment: ["http_proxy": proxy.url.absoluteString])
        let api = try #require(URL(string: "http://api.invalid:8080"))
        let response = try await Self.client(api, network: network).send(Self.installed)
        #expect(response.body == Data("[]".utf8))
        let seen = try #require(proxy.requests.first)
        #expect(proxy.requests.count == 1)
        #expect(seen.method == "GET")
        #expect(seen.target == "http://api.invalid:8080/providers/installed")
        #expect(seen.header("Host") == "api.invalid:8080")
    }

    @Test("all_proxy is the fallback proxy for http URLs")
    func allProxy() async throws {
        let proxy = try ScriptedHTTPServer { _ in HTTPReply.answer(200, "[]") }
        defer { proxy.stop() }
        let network = NetworkSettings(environment: ["ALL_PROXY": proxy.url.absoluteString])
        let api = try #require(URL(string: "http://api.invalid:8080"))
        _ = try await Self.client(api, network: network).send(Self.installed)
        #expect(proxy.requests.map(\.target) == ["http://api.invalid:8080/providers/installed"])
    }

    @Test("a host listed in no_proxy is reached directly")
    func noProxy() async throws {
        let proxy = try ScriptedHTTPServer { _ in HTTPReply.answer(502, "the proxy was used") }
        defer { proxy.stop() }
        let server = try ScriptedHTTPServer { _ in HTTPReply.answer(200, "[]") }
        defer { server.stop() }
        for noProxy in ["127.0.0.1", "example.com, 127.0.0.1", "*"] {
            let network = NetworkSettings(environment: ["http_proxy": proxy.url.absoluteString, "NO_PROXY": noProxy])
            let response = try await Self.client(server.url, network: network).send(Self.installed)
            #expect(response.body == Data("[]".utf8), "no_proxy \(noProxy)")
        }
        #expect(server.requests.map(\.target) == Array(repeating: "/providers/installed", count: 3))
        #expect(proxy.connectionCount == 0)
    }

    @Test("upper-case HTTP_PROXY, and https_proxy, are not used for http URLs")
    func ignoredProxyVariables() async throws {
        let proxy = try ScriptedHTTPServer { _ in HTTPReply.answer(502, "the proxy was used") }
        defer { proxy.stop() }
        let server = try ScriptedHTTPServer { _ in HTTPReply.answer(200, "[]") }
        defer { server.stop() }
        for variable in ["HTTP_PROXY", "https_proxy", "HTTPS_PROXY"] {
            let network = NetworkSettings(environment: [variable: proxy.url.absoluteString])
            #expect(network.httpProxy == nil, "\(variable)")
            let response = try await Self.client(server.url, network: network).send(Self.installed)
            #expect(response.body == Data("[]".utf8), "\(variable)")
        }
        #expect(server.requests.count == 3)
        #expect(server.requests.allSatisfy { $0.target == "/providers/installed" })
        #expect(proxy.connectionCount == 0)
    }

    // MARK: TLS

    @Test("https to a plain-HTTP port fails to connect; nothing is trusted silently")
    func httpsToPlainPort() async throws {
        let server = try ScriptedHTTPServer { _ in HTTPReply.answer(200, "[]") }
        defer { server.stop() }
        let url = try #require(URL(string: "https://127.0.0.1:\(server.port)"))
        let client = Self.client(url, credentials: APICredentials(.bearer(Self.token)))
        let error = try #require(await apiError { () async throws(APIError) in try await client.send(Self.installed) })
        #expect(error.kind == .connectionFailed, "\(error)")
        #expect(error.message.contains("could not connect"), "\(error)")
        #expect(server.requests.isEmpty)
        #expect(server.malformedCount == 1)
    }

    // MARK: Secrets

    @Test("the Authorization header appears in no transport error")
    func noAuthorizationInErrors() async throws {
        let server = try ScriptedHTTPServer { request in
            switch request.path {
            case "/t/slow":
                [.send(HTTPReply.head(200, [("Content-Length", "60")]))]
                    + HTTPReply.trickle(HTTPReply.filler(60), everyMilliseconds: 200)
            case "/t/stall":
                [.send(HTTPReply.head(200, [("Content-Length", "10")])), .holdOpen]
            case "/t/lost":
                [.send(HTTPReply.head(200, [("Content-Length", "100")]) + HTTPReply.filler(10)), .close]
            case "/t/redirect":
                HTTPReply.answer(307, "", headers: [("Location", "http://127.0.0.1:1/elsewhere")])
            case "/t/large":
                HTTPReply.answer(200, HTTPReply.filler(2 << 20))
            case "/t/unauthorized":
                HTTPReply.answer(401, #"{"detail": "bad credentials"}"#)
            default:
                HTTPReply.answer(500, Data(repeating: UInt8(ascii: "x"), count: 200_000))
            }
        }
        defer { server.stop() }
        let refusing = try RefusingPort()
        let credentials = APICredentials(.bearer(Self.token))
        func request(_ name: String) -> APIRequest { APIRequest(.post, .store, ["t", name], body: Data("{}".utf8)) }
        let https = try #require(URL(string: "https://127.0.0.1:\(server.port)"))
        let refused = try #require(URL(string: refusing.url))
        let cases: [(URL, APIClientOptions, String)] = [
            (server.url, Self.options(timeout: 1, stallTimeout: 30), "slow"),
            (server.url, Self.options(timeout: 60, stallTimeout: 1), "stall"),
            (server.url, Self.options(), "lost"),
            (server.url, Self.options(), "redirect"),
            (server.url, Self.options(maxAnswerBytes: 1 << 20), "large"),
            (server.url, Self.options(), "unauthorized"),
            (server.url, Self.options(maxErrorBytes: 1 << 10), "error"),
            (https, Self.options(), "tls"),
            (refused, Self.options(), "refused"),
        ]
        var kinds: [APIError.Kind] = []
        for (url, options, name) in cases {
            let client = APIClient(endpoints: APIEndpoints(apiURL: url), credentials: credentials, options: options)
            let error = try #require(await apiError { () async throws(APIError) in try await client.send(request(name)) },
                                     "\(name) succeeded")
            kinds.append(error.kind)
            for text in [error.description, error.message, error.hint ?? "", String(reflecting: error)] {
                #expect(!text.contains(Self.token), "\(name): \(text)")
                #expect(!text.contains("Bearer"), "\(name): \(text)")
                #expect(!text.contains("Authorization"), "\(name): \(text)")
            }
        }
        #expect(kinds == [.timeout, .timeout, .connectionLost, .unexpectedStatus, .invalidResponse, .unauthorized,
                          .serverError, .connectionFailed, .connectionFailed])
        let sent = server.requests.filter { $0.path.hasPrefix("/t/") }
        #expect(sent.count == 7)
        #expect(sent.allSatisfy { $0.header("Authorization") == "Bearer \(Self.token)" })
    }

    // MARK: Helpers

    static let token = "tok-3f9c2a7e-never-printed"
    static let installed = APIRequest(.get, .store, ["providers", "installed"])

    /// One attempt, no retries, and limits far from any test's pacing unless a test sets them.
    static func options(timeout: Double = 60, connectTimeout: Double = 10, stallTimeout: Double? = 30,
                        maxAnswerBytes: Int = APIClientOptions.defaultMaxAnswerBytes,
                        maxErrorBytes: Int = APIClientOptions.defaultMaxErrorBytes, maxConnections: Int = 8,
                        network: NetworkSettings = NetworkSettings()) -> APIClientOptions {
        APIClientOptions(
            timeout: timeout, connectTimeout: connectTimeout, stallTimeout: stallTimeout,
            maxAnswerBytes: maxAnswerBytes, maxErrorBytes: maxErrorBytes, maxConnections: maxConnections,
            network: network, retry: RetryPolicy(maxAttempts: 1, maxReadAttempts: 1, baseDelay: 0),
            sleep: { _ in }, jitter: { 0 }
        )
    }

    static func client(_ url: URL, timeout: Double = 60, connectTimeout: Double = 10, stallTimeout: Double? = 30,
                       maxAnswerBytes: Int = APIClientOptions.defaultMaxAnswerBytes,
                       maxErrorBytes: Int = APIClientOptions.defaultMaxErrorBytes, maxConnections: Int = 8,
                       network: NetworkSettings = NetworkSettings(),
                       credentials: APICredentials = APICredentials(.none)) -> APIClient {
        APIClient(endpoints: APIEndpoints(apiURL: url), credentials: credentials,
                  options: options(timeout: timeout, connectTimeout: connectTimeout, stallTimeout: stallTimeout,
                                   maxAnswerBytes: maxAnswerBytes, maxErrorBytes: maxErrorBytes,
                                   maxConnections: maxConnections, network: network))
    }
}

extension TransportTests {
    /// `NetworkSettings(environment:)` reads the variables the way curl does (pure, no network).
    @Suite("Network settings from the environment")
    struct NetworkSettingsFromEnvironment {
        func settings(_ environment: [String: String]) -> NetworkSettings {
            NetworkSettings(environment: environment)
        }

        @Test("CURL_CA_BUNDLE wins over SSL_CERT_FILE; SSL_CERT_DIR is the directory")
        func certificates() {
            let both = settings(["CURL_CA_BUNDLE": "/a.pem", "SSL_CERT_FILE": "/b.pem", "SSL_CERT_DIR": "/certs"])
            #expect(both.caBundle == "/a.pem")
            #expect(both.caDirectory == "/certs")
            #expect(settings(["SSL_CERT_FILE": "/b.pem"]).caBundle == "/b.pem")
            #expect(settings(["CURL_CA_BUNDLE": "", "SSL_CERT_FILE": "/b.pem"]).caBundle == "/b.pem")
            #expect(settings(["CURL_CA_BUNDLE": "  ", "SSL_CERT_FILE": "/b.pem"]).caBundle == "/b.pem")
            #expect(settings(["SSL_CERT_DIR": ""]).caDirectory == nil)
        }

        @Test("https_proxy wins over HTTPS_PROXY, which wins over all_proxy")
        func httpsProxy() {
            let lower = settings(["https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2",
                                  "all_proxy": "http://all:3"])
            #expect(lower.httpsProxy == "http://lower:1")
            #expect(lower.proxy(forScheme: "https") == "http://lower:1")
            #expect(lower.proxy(forScheme: "HTTPS") == "http://lower:1")
            #expect(settings(["HTTPS_PROXY": "http://upper:2", "all_proxy": "http://all:3"]).httpsProxy == "http://upper:2")
            #expect(settings(["https_proxy": "", "HTTPS_PROXY": "http://upper:2"]).httpsProxy == "http://upper:2")
            #expect(settings(["all_proxy": "http://all:3"]).httpsProxy == "http://all:3")
        }

        @Test("http URLs use http_proxy only, else all_proxy; HTTP_PROXY is ignored")
        func httpProxy() {
            #expect(settings(["http_proxy": "http://lower:1"]).proxy(forScheme: "http") == "http://lower:1")
            #expect(settings(["HTTP_PROXY": "http://upper:2"]).httpProxy == nil)
            #expect(settings(["HTTP_PROXY": "http://upper:2", "ALL_PROXY": "http://all:3"]).httpProxy == "http://all:3")
            #expect(settings(["https_proxy": "http://s:4"]).proxy(forScheme: "http") == nil)
            #expect(settings(["http_proxy": "", "all_proxy": "http://all:3"]).httpProxy == "http://all:3")
        }

        @Test("all_proxy wins over ALL_PROXY and serves both schemes; a specific proxy wins over it")
        func allProxy() {
            let all = settings(["all_proxy": "http://lower:1", "ALL_PROXY": "http://upper:2"])
            #expect(all.httpProxy == "http://lower:1")
            #expect(all.httpsProxy == "http://lower:1")
            let upper = settings(["ALL_PROXY": "http://upper:2"])
            #expect(upper.httpProxy == "http://upper:2")
            #expect(upper.httpsProxy == "http://upper:2")
            let mixed = settings(["ALL_PROXY": "http://all:2", "http_proxy": "http://plain:3"])
            #expect(mixed.httpProxy == "http://plain:3")
            #expect(mixed.httpsProxy == "http://all:2")
        }

        @Test("no_proxy wins over NO_PROXY; empty values count as unset")
        func noProxyAndEmpty() {
            #expect(settings(["no_proxy": "a.example", "NO_PROXY": "b.example"]).noProxy == "a.example")
            #expect(settings(["NO_PROXY": "b.example"]).noProxy == "b.example")
            #expect(settings(["no_proxy": "", "NO_PROXY": "b.example"]).noProxy == "b.example")
            let empty = settings(["https_proxy": "", "HTTPS_PROXY": " ", "http_proxy": "", "all_proxy": "",
                                  "ALL_PROXY": "", "no_proxy": "", "NO_PROXY": "", "CURL_CA_BUNDLE": "",
                                  "SSL_CERT_FILE": "", "SSL_CERT_DIR": ""])
            #expect(empty == NetworkSettings())
            #expect(settings([:]) == NetworkSettings())
        }
    }
}

/// A gzip stream of one byte repeated, made by hand (fixed-Huffman deflate: one literal, then copies of 258 bytes
/// at distance 1), so that a test can send a small body that inflates to a large one without a zlib binding.
private enum Gzip {
    static func repeatedBytes(_ byte: UInt8, count: Int) -> Data {
        precondition(byte < 144 && count >= 1)
        var bits = BitWriter()
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
        bits.writeCode(0x30 + UInt32(byte), count: 8)
        var left = count - 1
        while left >= 258 {
            bits.writeCode(0xC5, count: 8)  // length code 285: 258 bytes
            bits.writeCode(0, count: 5)  // distance code 0: distance 1
            left -= 258
        }
        for _ in 0..<left {
            bits.writeCode(0x30 + UInt32(byte), count: 8)
        }
        bits.writeCode(0, count: 7)  // end of block
        var data = Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
        data.append(contentsOf: bits.finished())
        let crc = crc32(repeating: byte, count: count)
        let size = UInt32(truncatingIfNeeded: count)
        for value in [crc, size] {
            data.append(contentsOf: (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) })
        }
        return data
    }

    private static func crc32(repeating byte: UInt8, count: Int) -> UInt32 {
        var table = [UInt32](repeating: 0, count: 256)
        for index in 0..<256 {
            var value = UInt32(index)
            for _ in 0..<8 {
                value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
            }
            table[index] = value
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for _ in 0..<count {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// Deflate's bit order: values least significant bit first, Huffman codes most significant bit first.
    private struct BitWriter {
        private var bytes: [UInt8] = []
        private var current: UInt8 = 0
        private var used = 0

        mutating func write(_ value: UInt32, count: Int) {
            for index in 0..<count {
                push(value >> index & 1 == 1)
            }
        }

        mutating func writeCode(_ code: UInt32, count: Int) {
            for index in stride(from: count - 1, through: 0, by: -1) {
                push(code >> index & 1 == 1)
            }
        }

        private mutating func push(_ bit: Bool) {
            if bit { current |= 1 << used }
            used += 1
            if used == 8 {
                bytes.append(current)
                current = 0
                used = 0
            }
        }

        func finished() -> [UInt8] {
            used > 0 ? bytes + [current] : bytes
        }
    }
}
