import Foundation
@testable import ProvsyncSandbox

/// One recorded scenario file: how the real server was configured and the exchanges, in order.
struct Recording {
    var file: String
    var serverMode: String
    var serverBaseURL: String
    /// Volatile paths relative to a response body, e.g. `$.items[*].state`.
    var volatile: Set<String>
    var fixtures: [String: SandboxJSON]
    var exchanges: [SandboxJSON]

    static let directory: URL = {
        Bundle.module.resourceURL?.appendingPathComponent("Recordings")
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Recordings")
    }()

    /// Every scenario file name (without `openapi.json`).
    static func allFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") && $0 != "openapi.json" }.sorted()
    }

    static func load(_ file: String) throws -> Recording {
        let data = try Data(contentsOf: directory.appendingPathComponent(file))
        guard let root = SandboxJSON.parse(data)?.objectValue else { throw ReplayError("\(file) is not a JSON object") }
        let prefix = "$.exchanges[*].response.body"
        let volatile = (root["volatile"]?.arrayValue ?? []).compactMap(\.stringValue)
            .filter { $0.hasPrefix(prefix) }.map { "$" + $0.dropFirst(prefix.count) }
        return Recording(
            file: file, serverMode: root["server_mode"]?.stringValue ?? "",
            serverBaseURL: root["server_base_url"]?.stringValue ?? "", volatile: Set(volatile),
            fixtures: root["fixtures"]?.objectValue ?? [:], exchanges: root["exchanges"]?.arrayValue ?? []
        )
    }

    /// A recording with no exchanges.
    static let empty = Recording(file: "", serverMode: "", serverBaseURL: "", volatile: [], fixtures: [:], exchanges: [])

    /// The location of a row stored before the recorded server was restarted with the local-network setting:
    /// the origin its first read shows (the probe had not recomputed it yet), nil for other recordings.
    var carryOverLocation: String? {
        guard localNetwork else { return nil }
        return exchanges.first { $0["step"]?.stringValue == "get-carry-over" }?["response"]?["body"]?["origin"]?.stringValue
    }

    var basicAuth: Bool { serverMode.hasPrefix("basic auth") }
    var localNetwork: Bool { serverMode.contains("USE_LOCAL_NETWORK=true") }

    /// The card each agent serves, keyed by base URL: the recording's `served_card <url>` fixtures, then the
    /// cards that create, preview and location-changing PATCH answers show for locations sent without a card.
    func servedCards() -> [String: SandboxJSON] {
        var cards: [String: SandboxJSON] = [:]
        for (key, card) in fixtures where key.hasPrefix("served_card ") {
            cards[String(key.dropFirst("served_card ".count))] = card
        }
        for exchange in exchanges {
            guard let request = exchange["request"]?.objectValue, let response = exchange["response"]?.objectValue,
                  response["status"] == .int(200), let body = request["body"]?.objectValue,
                  body["location"]?.stringValue != nil, body["agent_card"] == nil,
                  let answer = response["body"]?.objectValue, let source = answer["source"]?.stringValue,
                  let card = answer["agent_card"], request["method"]?.stringValue != "GET",
                  source.hasPrefix("http://") || source.hasPrefix("https://") else { continue }
            let base = Self.agentBase(source)
            if cards[base] == nil { cards[base] = card }
        }
        return cards
    }

    /// The images the recorded server's registries served (`fixtures.images`, as `SandboxConfiguration.images`
    /// takes them); nil for the recordings made with no registry reachable.
    var images: SandboxJSON? { fixtures["images"] }

    /// The providers the recorded server added from its registry config, read from the first list that shows
    /// them, as `SandboxConfiguration.registryProviders` takes them.
    func registryProviders() -> SandboxJSON? {
        for exchange in exchanges {
            guard case .array(let items)? = exchange["response"]?["body"]?["items"] else { continue }
            let seeded = items.compactMap { item -> SandboxJSON? in
                guard let registry = item["registry"], registry != .null, let card = item["agent_card"]?.objectValue
                else { return nil }
                let minutes = Int(item["auto_stop_timeout"]?.stringValue?.dropFirst(2).dropLast() ?? "") ?? 20
                // The registry config sets the variables the answer does not list as missing.
                let missing = Set((item["missing_configuration"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
                var variables: [String: SandboxJSON] = [:]
                for entry in item["env"]?.arrayValue ?? [] {
                    if let name = entry["name"]?.stringValue, !missing.contains(name) { variables[name] = "from-registry" }
                }
                return .object(["registry": registry, "location": item["source"] ?? .null,
                                "auto_stop_timeout_sec": .int(minutes * 60), "agent_card": .object(card),
                                "variables": .object(variables)])
            }
            return seeded.isEmpty ? nil : .array(seeded)
        }
        return nil
    }

    /// When the recorded server's background probe ran (first run and period, in seconds from the scenario's
    /// start). The probe's patches are the `updated_at` values that read answers show and no write answer does;
    /// the start is reckoned from the first answer's `created_at` and `after_seconds`. The real job runs about
    /// every 5 s with some drift, so the period is fitted between the first and last patch seen.
    func probeSchedule() -> (first: Double, interval: Double) {
        var start: Double?
        var written: Set<String> = []
        var read: Set<String> = []
        for exchange in exchanges {
            guard let body = exchange["response"]?["body"], case let after? = exchange["after_seconds"] else { continue }
            if start == nil, let created = body["created_at"]?.stringValue.flatMap(Self.secondOfDay),
               let seconds = Self.seconds(after) {
                start = created - seconds
            }
            let stamps = ([body] + (body["items"]?.arrayValue ?? [])).compactMap { $0["updated_at"]?.stringValue }
            if exchange["request"]?["method"]?.stringValue == "GET" {
                read.formUnion(stamps)
            } else {
                written.formUnion(stamps)
            }
        }
        guard let start else { return (5, 5) }
        let patches = read.subtracting(written).compactMap(Self.secondOfDay).map { $0 - start }.filter { $0 >= 0 }.sorted()
        guard let first = patches.first, let last = patches.last else { return (5, 5) }
        let runs = ((last - first) / 5).rounded()
        return (first, runs > 0 ? (last - first) / runs : 5)
    }

    private static func seconds(_ value: SandboxJSON) -> Double? {
        switch value {
        case .double(let number): number
        case .int(let number): Double(number)
        default: nil
        }
    }

    /// `2026-12-01T21:45:55.577123Z` → seconds since that day's midnight.
    static func secondOfDay(_ timestamp: String) -> Double? {
        guard let t = timestamp.firstIndex(of: "T") else { return nil }
        let parts = timestamp[timestamp.index(after: t)...].dropLast().split(separator: ":")
        guard parts.count == 3, let hours = Double(parts[0]), let minutes = Double(parts[1]),
              let seconds = Double(parts[2]) else { return nil }
        return hours * 3600 + minutes * 60 + seconds
    }

    /// A normalised source without its query and fragment: where the agent's card is fetched from.
    static func agentBase(_ source: String) -> String {
        var base = Substring(source)
        if let cut = base.firstIndex(where: { $0 == "?" || $0 == "#" }) { base = base[..<cut] }
        return String(base)
    }
}

struct ReplayError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension SandboxJSON {
    var arrayValue: [SandboxJSON]? {
        if case .array(let value) = self { value } else { nil }
    }

    subscript(key: String) -> SandboxJSON? { objectValue?[key] }
}
