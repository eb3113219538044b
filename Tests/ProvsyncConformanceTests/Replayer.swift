import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import ProvsyncSandbox

/// Replays one recording against an in-process sandbox configured like the recorded server.
struct Replayer {
    static let adminPassword = "conformance-admin"
    let recording: Recording
    let server: SandboxServer
    private var advanced = 0.0

    /// The served cards every recording shows, read once.
    static let cardsOfAllRecordings: [String: SandboxJSON] = {
        var served: [String: SandboxJSON] = [:]
        for file in Recording.allFiles() {
            served.merge((try? Recording.load(file))?.servedCards() ?? [:]) { first, _ in first }
        }
        return served
    }()

    static func start(_ recording: Recording) async throws -> Replayer {
        // An agent's card may show only in another recording (the same agents serve every scenario).
        var served = Self.cardsOfAllRecordings
        served.merge(recording.servedCards()) { _, own in own }
        let cards = SandboxJSON.object(served)
        let schedule = recording.probeSchedule()
        var configuration = SandboxConfiguration(
            token: recording.basicAuth ? adminPassword : nil, agentCards: Data(JSONWriter.bytes(cards)),
            images: recording.images.map { Data(JSONWriter.bytes($0)) }, localNetwork: recording.localNetwork,
            registryProviders: recording.registryProviders().map { Data(JSONWriter.bytes($0)) },
            manualClock: true, firstProbeAfter: schedule.first, probeInterval: schedule.interval
        )
        if let carryOver = recording.carryOverLocation {
            configuration.stateFile = try await storeUnderDefaultConfiguration(carryOver, like: configuration)
        }
        return Replayer(recording: recording, server: try await SandboxServer.start(configuration))
    }

    /// The local-network recording starts from a row stored under the default configuration "shortly before
    /// the restart": made here by a sandbox without the setting, kept in a state file the replay starts from.
    private static func storeUnderDefaultConfiguration(_ location: String, like configuration: SandboxConfiguration)
        async throws -> String {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("conformance-carry-over-\(UUID().uuidString).json").path
        var before = configuration
        before.localNetwork = false
        before.registryProviders = nil
        before.stateFile = file
        let server = try await SandboxServer.start(before)
        let made = Replayer(recording: Recording.empty, server: server)
        let answer = try await made.send("POST", "/api/v1/providers",
                                         body: Data(JSONWriter.bytes(.object(["location": .string(location)]))),
                                         authorization: authorization("Basic <admin>"))
        await server.stop()
        guard answer.status == 200 else { throw ReplayError("the carry-over row was not stored: \(answer.status)") }
        return file
    }

    func stop() async { await server.stop() }

    /// Runs every exchange in order; returns the first mismatch, naming the scenario, the step and the path.
    mutating func run() async throws -> String? {
        for (index, exchange) in recording.exchanges.enumerated() {
            let step = exchange["step"]?.stringValue ?? "#\(index)"
            let label = "\(recording.file) step \(index) '\(step)'"
            if let seconds = exchange["after_seconds"].flatMap(Self.number), seconds > advanced {
                _ = try await send("POST", "/_sandbox/clock", body: Data(JSONWriter.bytes(
                    .object(["advance_seconds": .double(seconds - advanced)]))))
                advanced = seconds
            }
            if let event = exchange["event"]?.stringValue {
                guard let url = Self.agentURL(in: event) else { return "\(label): cannot read the event '\(event)'" }
                let online = !event.contains("stopped")
                let answer = try await send("POST", "/_sandbox/agents", body: Data(JSONWriter.bytes(
                    .object(["url": .string(url), "online": .bool(online)]))))
                if answer.status != 200 { return "\(label): the sandbox refused the agent event (\(answer.status))" }
                continue
            }
            guard let request = exchange["request"]?.objectValue, let response = exchange["response"]?.objectValue else {
                return "\(label): no request or response"
            }
            let answer = try await replay(request)
            let expectedStatus = response["status"].flatMap(Self.number).map(Int.init) ?? 0
            if answer.status != expectedStatus {
                return "\(label): status expected \(expectedStatus), got \(answer.status): "
                    + String(decoding: answer.body.prefix(400), as: UTF8.self)
            }
            let expected = JSONDiff.replacing(recording.serverBaseURL, with: server.url.absoluteString,
                                              in: response["body"] ?? .null)
            if let difference = Self.compare(expected: expected, actual: answer.body, volatile: recording.volatile) {
                return "\(label): \(difference)"
            }
        }
        return nil
    }

    private static func compare(expected: SandboxJSON, actual: Data, volatile: Set<String>) -> String? {
        // The recordings leave the OpenAPI document out ("<the OpenAPI document …>"): only its kind is checked.
        if case .string(let text) = expected, text.hasPrefix("<the OpenAPI document") {
            return SandboxJSON.parse(actual)?["openapi"]?.stringValue != nil ? nil : "$: expected an OpenAPI document"
        }
        if case .string(let text) = expected {
            if text.isEmpty { return actual.isEmpty ? nil : "$: expected an empty body, got \(actual.count) bytes" }
            let raw = String(decoding: actual, as: UTF8.self)
            if raw == text || SandboxJSON.parse(actual) == expected { return nil }
            return "$: expected \(JSONDiff.render(expected)), got \(raw.prefix(300))"
        }
        guard let parsed = SandboxJSON.parse(actual) else {
            return "$: expected JSON \(JSONDiff.render(expected)), got \(String(decoding: actual.prefix(300), as: UTF8.self))"
        }
        if let problem = ListOrder.tokenProblem(parsed) { return problem }
        let (expectedList, actualList) = ListOrder.align(expected: expected, actual: parsed)
        return JSONDiff.firstDifference(expected: expectedList, actual: actualList, volatile: volatile)
    }

    private func replay(_ request: [String: SandboxJSON]) async throws -> (status: Int, body: Data) {
        let method = request["method"]?.stringValue ?? "GET"
        var path = request["path"]?.stringValue ?? "/"
        let query = (request["query"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
        if !query.isEmpty {
            path += "?" + query.map { name, value in
                "\(Self.encode(name))=\(Self.encode(value.stringValue ?? String(decoding: JSONWriter.bytes(value), as: UTF8.self)))"
            }.joined(separator: "&")
        }
        let headers = request["headers"]?.objectValue ?? [:]
        var body: Data?
        if request["body_is_raw_text"] == .bool(true), let text = request["body"]?.stringValue {
            body = Data(text.utf8)
        } else if let value = request["body"], value != .null {
            body = Data(JSONWriter.bytes(value))
        }
        return try await send(method, path, body: body, contentType: headers["Content-Type"]?.stringValue,
                              authorization: headers["Authorization"]?.stringValue.map(Self.authorization))
    }

    /// Maps the recordings' placeholders (`Basic <admin>`, `Basic <wrong>`, `Bearer <bogus>`) to real headers.
    static func authorization(_ placeholder: String) -> String {
        let parts = placeholder.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return placeholder }
        let secret = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
        switch (parts[0], secret) {
        case ("Basic", "admin"): return "Basic " + Data("admin:\(adminPassword)".utf8).base64EncodedString()
        case ("Basic", "not-base64"), ("Basic", "invalid-base64"): return "Basic %%%not-base64%%%"
        case ("Basic", _): return "Basic " + Data("admin:\(secret)".utf8).base64EncodedString()
        default: return "\(parts[0]) \(secret)"
        }
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    func send(_ method: String, _ path: String, body: Data? = nil, contentType: String? = "application/json",
                      authorization: String? = nil) async throws -> (status: Int, body: Data) {
        guard let url = URL(string: server.url.absoluteString + path) else { throw ReplayError("bad path \(path)") }
        var request = URLRequest(url: url)
        request.timeoutInterval = 120  // a hang guard, not a measure of time
        request.httpMethod = method
        request.httpBody = body
        if let contentType, body != nil { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let authorization {
            request.setValue(authorization, forHTTPHeaderField: "Authorization")
        } else if path.hasPrefix("/_sandbox/"), let token = server.token {
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw ReplayError("no HTTP response for \(path)") }
        return (http.statusCode, data)
    }

    private static func number(_ value: SandboxJSON) -> Double? {
        switch value {
        case .int(let int): Double(int)
        case .double(let double): double
        default: nil
        }
    }

    /// The `http://…/` an event names.
    private static func agentURL(in event: String) -> String? {
        event.split(separator: " ").first { $0.hasPrefix("http://") || $0.hasPrefix("https://") }.map(String.init)
    }
}
