import Foundation

/// One agent provider, as the sandbox keeps it.
struct ProviderRecord: Sendable, Codable, Hashable {
    var id: String
    var source: String
    var origin: String
    var isNetwork: Bool
    var createdBy: String
    /// The stored card, already normalised (defaults filled, empty fields dropped).
    var agentCard: [String: SandboxJSON]
    var autoStopTimeoutSec: Int
    /// The server-side registry this provider was synced from; such providers refuse PATCH.
    var registry: String?
    var variables: [String: String]
    var env: [EnvRequirement]
    var createdAt: Date
    var updatedAt: Date
    var lastActiveAt: Date?
    var lastError: String?

    /// An environment variable the agent declares.
    struct EnvRequirement: Sendable, Codable, Hashable {
        var name: String
        var description: String?
        var required: Bool
    }

    var state: String {
        if lastError != nil { return "error" }
        return isNetwork ? "online" : "ready"
    }

    /// The Provider response. GET and list responses pass `proxyBase` so the three proxied card fields
    /// are rewritten; POST and PATCH responses return the stored card.
    func response(proxyBase: String?) -> SandboxJSON {
        var card = agentCard
        if let proxyBase {
            let proxy = "\(proxyBase)/api/v1/a2a/\(id)/"
            card["url"] = .string(proxy)
            card["preferredTransport"] = .string("JSONRPC")
            card["additionalInterfaces"] = .array([.object(["url": .string(proxy), "transport": .string("JSONRPC")])])
        }
        let envJSON = env.map(Self.envJSON)
        let missing = env.filter { $0.required && variables[$0.name] == nil }.map(Self.envJSON)
        return .object([
            "id": .string(id),
            "source": .string(source),
            "origin": .string(origin),
            "created_by": .string(createdBy),
            "agent_card": .object(card),
            "state": .string(state),
            "type": .string(isNetwork ? "unmanaged" : "managed"),
            "managed": .bool(!isNetwork),
            "env": .array(envJSON),
            "auto_stop_timeout": .string(Timestamps.duration(seconds: autoStopTimeoutSec)),
            "version_info": versionInfo,
            "registry": registry.map(SandboxJSON.string) ?? .null,
            "created_at": .string(Timestamps.rfc3339(createdAt)),
            "updated_at": .string(Timestamps.rfc3339(updatedAt)),
            "last_active_at": lastActiveAt.map { .string(Timestamps.rfc3339($0)) } ?? .null,
            "last_error": lastError.map { .object(["message": .string($0)]) } ?? .null,
            "missing_configuration": .array(missing),
        ])
    }

    private var versionInfo: SandboxJSON {
        guard !isNetwork else { return .object(["docker": .null, "github": .null]) }
        let withoutRegistry = source.split(separator: "/", maxSplits: 1)
        let registryHost = withoutRegistry.first.map(String.init) ?? ""
        var repository = withoutRegistry.count > 1 ? String(withoutRegistry[1]) : ""
        var digest: SandboxJSON = .null
        if let at = repository.firstIndex(of: "@") {
            digest = .string(String(repository[repository.index(after: at)...]))
            repository = String(repository[..<at])
        }
        var tag: SandboxJSON = .null
        if let colon = repository.lastIndex(of: ":") {
            tag = .string(String(repository[repository.index(after: colon)...]))
            repository = String(repository[..<colon])
        }
        return .object([
            "docker": .object([
                "registry": .string(registryHost), "repository": .string(repository), "tag": tag, "digest": digest,
                "image_id": .string("sha256:" + ProviderID.uuid(of: source).replacingOccurrences(of: "-", with: "")),
            ]),
            "github": .null,
        ])
    }

    private static func envJSON(_ requirement: EnvRequirement) -> SandboxJSON {
        .object([
            "name": .string(requirement.name),
            "description": requirement.description.map(SandboxJSON.string) ?? .null,
            "required": .bool(requirement.required),
        ])
    }
}

/// What the sandbox knows of an agent image (or network agent): the card it serves and the variables it needs.
struct AgentImage: Sendable, Codable, Hashable {
    var agentCard: [String: SandboxJSON]?
    var env: [ProviderRecord.EnvRequirement]
}

/// The agent card rules of the agent API: defaults filled, empty fields dropped.
/// Written apart from ProvsyncModel's on purpose: the sandbox shares no code with the client, so the two
/// check each other against the contract instead of agreeing by construction.
enum AgentCardNormalizer {
    static func normalize(_ card: [String: SandboxJSON]) -> [String: SandboxJSON] {
        var result = card.compactMapValues(dropEmpty)
        if result["protocolVersion"] == nil { result["protocolVersion"] = .string("0.3.0") }
        if result["preferredTransport"] == nil { result["preferredTransport"] = .string("JSONRPC") }
        return result
    }

    /// The card an image serves when a request sends none.
    static func defaultCard(source: String, origin: String) -> [String: SandboxJSON] {
        let name = origin.split(separator: "/").last.map(String.init) ?? origin
        var card: [String: SandboxJSON] = [
            "name": .string(name),
            "description": .string("Agent served from \(source)"),
            "skills": .array([]),
        ]
        if let colon = source.lastIndex(of: ":"), !source[colon...].contains("/") {
            card["version"] = .string(String(source[source.index(after: colon)...]))
        }
        return card
    }

    private static func dropEmpty(_ value: SandboxJSON) -> SandboxJSON? {
        switch value {
        case .null: return nil
        case .string(let text): return text.isEmpty ? nil : value
        case .array(let items):
            let kept = items.compactMap(dropEmpty)
            return kept.isEmpty ? nil : .array(kept)
        case .object(let object):
            let kept = object.compactMapValues(dropEmpty)
            return kept.isEmpty ? nil : .object(kept)
        default: return value
        }
    }
}
