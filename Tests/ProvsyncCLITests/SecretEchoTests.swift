import Foundation
import Testing
import ProvsyncTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every secret holds `ECHOED`, so one search finds any of them, whole or in part.
private let token = "tok-ECHOED-7f3a9c0b"
private let password = "pw-ECHOED-51be2d"
/// With a quote and a slash, so that it is echoed JSON-escaped.
private let envSecret = #"env"ECHOED/9d04e1"#
private let apiKey = "sk-ECHOED-31ac"
private let sensitiveLiteral = "lit-ECHOED-c2a7e5"
private let basicBase64 = Data("ci-bot:\(password)".utf8).base64EncodedString()

private let injectedKeys = [
    "K\n::warning file=README.md,line=1::INJECTED-BY-API", "E\u{1B}]0;pwned\u{07}\u{1B}[2J",
    "H|`x`<img src=x onerror=alert(1)>", "R\r##[warning]legacy",
]

/// A hostile store and agent API on loopback. Its lists put the request's `Authorization` header (decoded
/// too, when it is Basic) into live fields (a version, a health message, a provider name) and hostile keys
/// into a config; every other request is refused with a body echoing the request: its line, the header,
/// its body and its other headers. With `failingReads` the lists are refused that way too.
private final class EchoingAPI: Sendable {
    let url: String
    private let listener: Int32

    init(failingReads: Bool = false) throws {
        #if os(Linux)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let listener = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(listener, socketAddress, length) == 0 && listen(listener, 64) == 0
                    && getsockname(listener, socketAddress, &length) == 0
            }
        }
        guard listener >= 0, listening else { throw POSIXError(.EADDRNOTAVAIL) }
        self.listener = listener
        url = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
        Thread {
            while case let client = accept(listener, nil, nil), client >= 0 {
                Thread { Self.serve(client, failingReads: failingReads) }.start()
            }
        }.start()
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func serve(_ client: Int32, failingReads: Bool) {
        defer { close(client) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let marker = Array("\r\n\r\n".utf8)
        func more() -> Bool {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { return false }
            data += buffer[0..<count]
            return true
        }
        var headEnd: Int?
        while headEnd == nil {
            guard more() else { return }
            headEnd = data.indices.dropLast(3).first { data[$0..<($0 + 4)].elementsEqual(marker) }
        }
        guard let headEnd else { return }
        let lines = String(decoding: data[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let headers = lines.dropFirst().map { line in
            (name: line.prefix { $0 != ":" }.lowercased(),
             value: String(line.drop { $0 != ":" }.dropFirst()).trimmingCharacters(in: .whitespaces))
        }
        let length = headers.first { $0.name == "content-length" }.flatMap { Int($0.value) } ?? 0
        while data.count - headEnd - 4 < length, more() {}
        let body = String(decoding: data[(headEnd + 4)...], as: UTF8.self)
        let (status, answer) = respond(to: lines[0], headers: headers, body: body, failingReads: failingReads)
        let payload = Array((try? JSONSerialization.data(withJSONObject: answer)) ?? Data())
        let head = "HTTP/1.1 \(status) Hostile\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\n"
            + "Connection: close\r\n\r\n"
        let reply = Array(head.utf8) + payload
        var sent = 0
        #if os(Linux)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        while sent < reply.count {
            let count = reply[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, flags) }
            guard count > 0 else { return }
            sent += count
        }
    }

    private static func respond(to requestLine: String, headers: [(name: String, value: String)], body: String,
                                failingReads: Bool) -> (Int, Any) {
        let authorization = headers.first { $0.name == "authorization" }?.value ?? ""
        let decoded = authorization.hasPrefix("Basic ")
            ? Data(base64Encoded: String(authorization.dropFirst(6))).map { String(decoding: $0, as: UTF8.self) } ?? ""
            : ""
        let echoed = "\(authorization) \(decoded)"
        let parts = requestLine.split(separator: " ")
        let (method, path) = (parts.first ?? "", parts.dropFirst().first?.split(separator: "?").first ?? "")
        if method == "GET" && !failingReads && path == "/providers/installed" {
            return (200, [
                ["canonical": "acme/redis", "installed_version": echoed, "health": "degraded", "health_message": echoed],
                ["canonical": "acme/loki", "installed_version": "2.9.0",
                 "config": Dictionary(uniqueKeysWithValues: (["LOG_LEVEL"] + injectedKeys).map { ($0, "info") })],
                ["canonical": "zz/\(echoed)", "installed_version": "1.0.0"],
            ] as [[String: Any]])
        }
        if method == "GET" && !failingReads && path == "/api/v1/providers" {
            return (200, [Any]())
        }
        let others = headers.filter { $0.name != "authorization" }.map { "\($0.name): \($0.value)" }
        let echo = "\(requestLine) Authorization: \(authorization) (decoded: \(decoded)) body: \(body) headers: "
            + others.joined(separator: "; ")
        return (method == "GET" ? 404 : 400, ["detail": echo])
    }
}

private func manifest(_ kind: String, _ spec: String) -> String {
    "apiVersion: provsync/v1\nkind: \(kind)\n" + spec
}

/// Four manifests whose plan against `EchoingAPI` installs (with both secrets), upgrades, replaces and creates.
private func repository() throws -> ScratchRepository {
    let repo = try ScratchRepository()
    try repo.write("manifests/pg.yaml", manifest("Installation", """
        spec:
          provider_name: acme/postgres
          version: "1.4.2"
          config:
            DB_PASSWORD: ${env:DB_PASSWORD}
            API_SEED: \(sensitiveLiteral)
        policy:
          sensitive: [config.API_SEED]

        """))
    try repo.write("manifests/redis.yaml", manifest("Installation", "spec:\n  provider_name: acme/redis\n  version: \"7.2.4\"\n"))
    try repo.write("manifests/loki.yaml", manifest("Installation", """
        spec:
          provider_name: acme/loki
          version: "2.9.0"
          config:
            LOG_LEVEL: info

        """))
    try repo.write("manifests/agent.yaml", manifest("AgentProvider", """
        spec:
          location: ghcr.io/acme/research-agent:1.2.0
          variables:
            OPENAI_API_KEY: ${env:OPENAI_API_KEY}

        """))
    try repo.commitAll()
    return repo
}

/// What one run printed, and what it added to the job summary.
private struct Run {
    var output: ProcessOutput
    var summary: String

    var texts: [String] { [output.stdout, output.stderr, summary] }
}

/// Runs provsync under GitHub Actions against `api`, with the job summary in a file of its own.
private func provsync(_ arguments: [String], _ repo: ScratchRepository, _ api: EchoingAPI,
                      basic: Bool = false) async throws -> Run {
    let summary = try repo.sibling("summary-\(UUID().uuidString)").appendingPathComponent("summary.md")
    _ = FileManager.default.createFile(atPath: summary.path, contents: nil)
    let credentials: [String: String?] = basic
        ? ["PROVSYNC_TOKEN": nil, "PROVSYNC_USERNAME": "ci-bot", "PROVSYNC_PASSWORD": password]
        : ["PROVSYNC_TOKEN": token, "PROVSYNC_USERNAME": nil, "PROVSYNC_PASSWORD": nil]
    let environment = credentials.merging([
        "DB_PASSWORD": envSecret, "OPENAI_API_KEY": apiKey, "CI": "true", "NO_COLOR": "1", "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": summary.path,
    ]) { $1 }
    let output = try await ProvsyncBinary.run(arguments + ["--api-url", api.url], in: repo.url, environment: environment)
    return Run(output: output, summary: String(decoding: try Data(contentsOf: summary), as: UTF8.self))
}

private func expectNoSecret(in run: Run, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for text in run.texts {
        #expect(!text.contains("ECHOED"), "\(what) printed a secret:\n\(text)", sourceLocation: sourceLocation)
        #expect(!text.contains(basicBase64), "\(what) printed the Basic credentials", sourceLocation: sourceLocation)
    }
}

/// The lines of markdown outside its diff blocks (where a plan shows the hostile keys, as code).
private func outsideDiffBlocks(_ markdown: String) -> String {
    var inBlock = false
    return markdown.split(separator: "\n").filter { line in
        if line.hasPrefix("```") { inBlock.toggle() }
        return !inBlock && !line.hasPrefix("```")
    }.joined(separator: "\n")
}

@Suite("Secrets echoed by a hostile API, and hostile live data", .serialized)
struct SecretEchoTests {
    @Test("a bearer token, ${env:…} values and policy.sensitive values echoed back are printed nowhere")
    func bearer() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let api = try EchoingAPI()
        defer { api.stop() }
        let runs = [
            ("plan", try await provsync(["plan"], repo, api)),
            ("plan --format json", try await provsync(["plan", "--format", "json"], repo, api)),
            ("plan --format markdown", try await provsync(["plan", "--format", "markdown"], repo, api)),
            ("drift --format json", try await provsync(["drift", "--format", "json"], repo, api)),
            ("drift --format junit", try await provsync(["drift", "--format", "junit"], repo, api)),
            ("apply", try await provsync(["apply", "--auto-approve", "--allow-replace"], repo, api)),
        ]
        for (what, run) in runs {
            expectNoSecret(in: run, what)
        }
        let applied = runs[5].1.output
        #expect(applied.status == 1)
        #expect(applied.stdout.contains("install failed: POST /providers/install acme/postgres: 400 POST /providers/install "
                                        + "HTTP/1.1 Authorization: (sensitive)"), "the echo is printed, redacted:\n\(applied.stdout)")
        #expect(applied.stdout.contains("\"DB_PASSWORD\":\"(sensitive)\""))
        #expect(runs[0].1.output.stdout.contains("installation/zz/(sensitive)"))
        #expect(runs[0].1.summary.contains("## provsync plan"))
    }

    @Test("Basic credentials, the password and their base64 echoed back are printed nowhere, failed reads included")
    func basic() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let failing = try EchoingAPI(failingReads: true)
        defer { failing.stop() }
        let api = try EchoingAPI()
        defer { api.stop() }
        let plan = try await provsync(["plan", "--format", "json"], repo, failing, basic: true)
        let drift = try await provsync(["drift", "--format", "json"], repo, failing, basic: true)
        let apply = try await provsync(["apply", "--auto-approve", "--allow-replace"], repo, api, basic: true)
        for (what, run) in [("plan", plan), ("drift", drift), ("apply", apply)] {
            expectNoSecret(in: run, what)
        }
        #expect(plan.output.status == 1)
        #expect(plan.output.stderr.contains("Authorization: (sensitive) (decoded: (sensitive))"), "\(plan.output.stderr)")
        #expect(apply.output.stdout.contains("Authorization: (sensitive)"))
    }

    @Test("keys from the API cannot print a workflow command, a raw control character or markup")
    func injection() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let api = try EchoingAPI()
        defer { api.stop() }
        let runs = [try await provsync(["plan"], repo, api), try await provsync(["plan", "--format", "markdown"], repo, api),
                    try await provsync(["drift"], repo, api), try await provsync(["drift", "--format", "markdown"], repo, api)]
        for run in runs {
            for text in [run.output.stdout, run.output.stderr] {
                for line in text.split(separator: "\n") {
                    #expect(!line.drop(while: \.isWhitespace).hasPrefix("::"), "a workflow command: \(line)")
                    #expect(!line.contains("##["), "a legacy workflow command: \(line)")
                }
            }
            for text in run.texts {
                #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a raw control character:\n\(text)")
            }
        }
        #expect(runs[0].output.stdout.contains(#"config.K\n::warning file=README.md,line=1::INJECTED-BY-API: "#))
        #expect(runs[0].output.stdout.contains(#"config.E\u{1B}]0;pwned\u{7}\u{1B}[2J: "#))
        let summary = runs[0].summary
        #expect(!outsideDiffBlocks(summary).contains("<img"), "raw HTML from the API:\n\(summary)")
        let rows = summary.split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(rows.count == 6, "a header, a rule and four changes:\n\(summary)")
        #expect(rows.allSatisfy { $0.replacingOccurrences(of: "\\|", with: "").count { $0 == "|" } == 5 })
        #expect(summary.components(separatedBy: "```diff").count == summary.components(separatedBy: "\n```\n").count)
    }
}
