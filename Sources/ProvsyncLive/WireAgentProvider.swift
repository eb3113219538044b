import ProvsyncModel

/// Reads a `Provider` of the agent API into a `LiveAgentProvider`, leniently. Variables are not part of
/// it: they come from their own endpoint.
struct WireAgentProvider: Decodable {
    var value: LiveAgentProvider

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: JSONKey.self)
        let id = try fields.required("id")
        let source = try fields.string("source") ?? fields.required("location")
        let card = fields.optional(JSONValue.self, "agent_card")
        value = LiveAgentProvider(
            id: id,
            source: source,
            origin: fields.string("origin") ?? source,
            agentCard: card == .null ? nil : card,
            autoStopTimeoutSec: Self.autoStop(fields),
            state: fields.string("state") ?? "unknown",
            registry: fields.string("registry"),
            missingConfiguration: Self.names(fields.optional([JSONValue].self, "missing_configuration") ?? []),
            lastError: Self.message(fields.optional(JSONValue.self, "last_error")),
            updatedAt: fields.string("updated_at")
        )
    }

    /// `auto_stop_timeout` as an ISO-8601 duration (or a number of seconds), else `auto_stop_timeout_sec`.
    private static func autoStop(_ fields: KeyedDecodingContainer<JSONKey>) -> Int? {
        switch fields.optional(JSONValue.self, "auto_stop_timeout") {
        case .string(let text)?: return ISO8601Duration.seconds(text)
        case .integer(let seconds)?: return seconds
        case .number(let seconds)?: return seconds.isFinite ? Int(seconds.rounded()) : nil
        default: return fields.optional(Int.self, "auto_stop_timeout_sec")
        }
    }

    /// Names from `[{name, description, required}]` (plain strings tolerated).
    private static func names(_ entries: [JSONValue]) -> [String] {
        entries.compactMap { entry in
            switch entry {
            case .string(let name): name
            case .object(let object): object["name"]?.scalarText
            default: nil
            }
        }
    }

    /// `last_error.message` (a plain string tolerated); nil for null.
    private static func message(_ error: JSONValue?) -> String? {
        switch error {
        case .string(let text)?: text
        case .object(let object)?: object["message"]?.scalarText ?? object["detail"]?.scalarText ?? "unknown error"
        default: nil
        }
    }
}

/// One page of `GET /api/v1/providers` (a plain array tolerated).
struct WireProviderPage: Decodable {
    var items: [LiveAgentProvider]
    var hasMore: Bool
    var nextPageToken: String?

    init(items: [LiveAgentProvider], hasMore: Bool, nextPageToken: String?) {
        self.items = items
        self.hasMore = hasMore
        self.nextPageToken = nextPageToken
    }

    init(from decoder: any Decoder) throws {
        if let items = try? decoder.singleValueContainer().decode([WireAgentProvider].self) {
            self.items = items.map(\.value)
            hasMore = false
            return
        }
        let fields = try decoder.container(keyedBy: JSONKey.self)
        items = try fields.decode([WireAgentProvider].self, forKey: JSONKey("items")).map(\.value)
        hasMore = fields.optional(Bool.self, "has_more") ?? false
        nextPageToken = fields.string("next_page_token")
    }
}

/// `GET /api/v1/providers/{id}/variables`: `{"variables": {name: value}}`.
struct WireVariables: Decodable {
    var variables: [String: String]

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: JSONKey.self)
        guard let variables = fields.stringMap("variables") else {
            throw DecodingError.keyNotFound(JSONKey("variables"),
                                            .init(codingPath: decoder.codingPath, debugDescription: "variables"))
        }
        self.variables = variables
    }
}
