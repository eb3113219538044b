import Foundation

/// One agent provider, as the sandbox keeps it.
struct ProviderRecord: Sendable, Codable, Hashable {
    var id: String
    var source: String
    var origin: String
    var isNetwork: Bool
    var createdBy: String
    /// The stored card, normalised (every optional field present, defaults filled).
    var agentCard: [String: SandboxJSON]
    var autoStopTimeoutSec: Int
    /// The server-side registry this provider was synced from; such providers refuse PATCH.
    var registry: String?
    var variables: [String: String]
    /// Variables the agent declares when its card has no agent-detail extension (built-in images).
    var env: [EnvRequirement]
    var createdAt: Date
    var updatedAt: Date
    var lastActiveAt: Date?
    var lastError: String?
    /// The state the last background probe saw (`online`/`offline`); nil before the first probe.
    var probedState: String?
    /// The digest the registry answered for a managed provider's image; nil for network providers (and in
    /// state written before digests were kept, where a placeholder is shown).
    var imageDigest: String?

    /// An environment variable the agent declares.
    struct EnvRequirement: Sendable, Codable, Hashable {
        var name: String
        var description: String?
        var required: Bool
    }

    /// The row as a server started with (or without) the local-network setting reads it back: a network
    /// source is normalised again (`host.docker.internal` stored under the default configuration reads as
    /// `localhost`), while the id and origin keep what was stored, as the real server shows.
    func readBack(localNetwork: Bool) -> ProviderRecord {
        guard isNetwork, let normalized = NormalizedLocation(source, localNetwork: localNetwork) else { return self }
        var copy = self
        copy.source = normalized.source
        return copy
    }

    var state: String {
        if lastError != nil { return "error" }
        return isNetwork ? probedState ?? "offline" : "missing"
    }

    /// The Provider response. GET and list responses pass `proxyBase` so the card points at the server's
    /// proxy; POST, PATCH and preview responses return the stored card.
    func response(proxyBase: String?) -> SandboxJSON {
        var card = agentCard
        if let proxyBase {
            let proxy = "\(proxyBase)/api/v1/a2a/\(id)/"
            card["url"] = .string(proxy)
            card["preferredTransport"] = .string("JSONRPC")
            card["additionalInterfaces"] = .array([
                .object(["transport": "HTTP+JSON", "url": .string(proxy + "http")]),
                .object(["transport": "JSONRPC", "url": .string(proxy)]),
            ])
        }
        let declared = AgentCardNormalizer.env(of: agentCard) ?? env.map(Self.envJSON)
        let missing = declared.filter { entry in
            guard let object = entry.objectValue, object["required"] == .bool(true),
                  let name = object["name"]?.stringValue else { return false }
            return variables[name] == nil
        }
        return .object([
            "id": .string(id),
            "source": .string(source),
            "origin": .string(origin),
            "created_by": .string(createdBy),
            "agent_card": .object(card),
            "state": .string(state),
            "type": .string(isNetwork ? "unmanaged" : "managed"),
            "managed": .bool(!isNetwork),
            "env": .array(declared),
            "auto_stop_timeout": .string(Timestamps.duration(seconds: autoStopTimeoutSec)),
            "version_info": versionInfo,
            "registry": registry.map(SandboxJSON.string) ?? .null,
            "created_at": .string(Timestamps.rfc3339(createdAt)),
            "updated_at": .string(Timestamps.rfc3339(updatedAt)),
            "last_active_at": .string(Timestamps.rfc3339(lastActiveAt ?? createdAt)),
            "last_error": lastError.map { .object(["message": .string($0)]) } ?? .null,
            "missing_configuration": .array(missing),
        ])
    }

    /// `docker` from the location and the resolved digest for managed providers; `github` is never set.
    private var versionInfo: SandboxJSON {
        guard !isNetwork else { return .object(["docker": .null, "github": .null]) }
        let image = ImageReference(source)
        let digest = imageDigest ?? ImageCatalog.placeholderDigest(source)
        return .object([
            "docker": .object([
                "registry": .string(image.registry), "repository": .string(image.repository),
                "tag": .string(image.tag), "digest": .string(digest),
                "image_id": .string("\(image.registry)/\(image.repository):\(image.tag)@\(digest)"),
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
