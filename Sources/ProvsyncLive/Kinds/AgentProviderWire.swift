import ProvsyncModel

/// Reads a `Provider` of the agent API into a `LiveAgentProvider`, leniently. Variables are not part of
/// it: they come from their own endpoint.
struct WireAgentProvider: WireReadable {
    var value: LiveAgentProvider

    init(wire: JSONValue) throws(WireError) {
        let fields = try WireObject(wire)
        let id = try fields.required("id")
        guard let source = fields.string("source") ?? fields.string("location") else {
            throw WireError(.missing("location"))
        }
        let card = fields["agent_card"]
        value = LiveAgentProvider(
            id: id,
            source: source,
            origin: fields.string("origin") ?? source,
            agentCard: card == .null ? nil : card,
            autoStopTimeoutSec: Self.autoStop(fields),
            state: fields.string("state") ?? "unknown",
            registry: fields.string("registry"),
            missingConfiguration: Self.names(fields["missing_configuration"]),
            lastError: Self.message(fields["last_error"]),
            updatedAt: fields.string("updated_at")
        )
    }

    /// `auto_stop_timeout` as an ISO-8601 duration (or a number of seconds), else `auto_stop_timeout_sec`.
    private static func autoStop(_ fields: WireObject) -> Int? {
        switch fields["auto_stop_timeout"] {
        case .string(let text)?: return ISO8601Duration.seconds(text)
        case .integer(let seconds)?: return seconds
        case .number(let seconds)?: return Int(exactly: seconds.rounded())
        default: return fields.integer("auto_stop_timeout_sec")
        }
    }

    /// Names from `[{name, description, required}]` (plain strings tolerated).
    private static func names(_ list: JSONValue?) -> [String] {
        guard case .array(let entries)? = list else { return [] }
        return entries.compactMap { entry in
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
struct WireProviderPage: WireReadable {
    var items: [LiveAgentProvider]
    var hasMore: Bool
    var nextPageToken: String?

    init(items: [LiveAgentProvider], hasMore: Bool, nextPageToken: String?) {
        self.items = items
        self.hasMore = hasMore
        self.nextPageToken = nextPageToken
    }

    init(wire: JSONValue) throws(WireError) {
        if case .array = wire {
            self.init(items: try [WireAgentProvider](wire: wire).map(\.value), hasMore: false, nextPageToken: nil)
            return
        }
        let fields = try WireObject(wire)
        guard let items = fields["items"] else { throw WireError(.missing("items")) }
        let providers: [WireAgentProvider]
        do throws(WireError) {
            providers = try [WireAgentProvider](wire: items)
        } catch {
            throw error.within("items")
        }
        self.init(items: providers.map(\.value), hasMore: fields.bool("has_more") ?? false,
                  nextPageToken: fields.string("next_page_token"))
    }
}

/// `GET /api/v1/providers/{id}/variables`: `{"variables": {name: value}}`.
struct WireVariables: WireReadable {
    var variables: [String: String]

    init(wire: JSONValue) throws(WireError) {
        guard let variables = try WireObject(wire).stringMap("variables") else {
            throw WireError(.missing("variables"))
        }
        self.variables = variables
    }
}
