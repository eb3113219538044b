import Foundation

/// The agent provider API (API 2 of the contract), under `/api/v1`.
extension SandboxState {
    static let maxVariables = 100
    static let defaultAutoStopSeconds = 1200

    func handleAgents(_ route: SandboxRoute, _ request: SandboxRequest, caller: Caller) -> SandboxResponse {
        let proxyBase = "http://\(request.host ?? "\(configuration.host):\(configuration.port)")"
        switch route {
        case .listProviders:
            let origin = request.query["origin"]
            let owner = request.query["user_owned"] == "true" ? caller.id : nil
            let build = { () -> SandboxJSON in
                var providers = self.world.providers.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
                if let origin { providers = providers.filter { $0.origin == origin } }
                if let owner { providers = providers.filter { $0.createdBy == owner } }
                let items = providers.map { $0.response(proxyBase: proxyBase) }
                return .object([
                    "items": .array(items), "total_count": .int(items.count), "has_more": .bool(false),
                    "next_page_token": .null,
                ])
            }
            // Only the full list is cached: filtered ones are small, and caching each filter would grow without bound.
            guard origin == nil, owner == nil else { return .json(200, build()) }
            return cachedList("providers \(proxyBase)", build: build)
        case .createProvider, .previewProvider:
            return create(request, caller: caller, store: route == .createProvider)
        case .getProvider(let id):
            guard let provider = world.providers[id] else { return notFound(id) }
            return .json(200, provider.response(proxyBase: proxyBase))
        case .patchProvider(let id):
            return patch(id, request)
        case .deleteProvider(let id):
            guard world.providers.removeValue(forKey: id) != nil else { return notFound(id) }
            return .noContent
        case .getVariables(let id):
            guard let provider = world.providers[id] else { return notFound(id) }
            return .json(200, SandboxJSON.object(["variables": .object(provider.variables.mapValues(SandboxJSON.string))]))
        case .putVariables(let id):
            return putVariables(id, request)
        default:
            return .detail(404, "Not Found")
        }
    }

    private func notFound(_ id: String) -> SandboxResponse {
        .detail(404, "Provider with ID \(id) not found")
    }

    /// The fields shared by create, preview and patch bodies.
    private struct ProviderFields {
        var location: String??
        var origin: String??
        var card: [String: SandboxJSON]??
        var variables: [String: String?]??
        var timeout: Int??
    }

    private func readFields(_ body: inout BodyValidator, locationRequired: Bool) -> ProviderFields {
        var fields = ProviderFields()
        if locationRequired {
            fields.location = body.requiredString("location").map { .some($0) }
        } else {
            fields.location = body.optionalString("location")
        }
        fields.origin = body.optionalString("origin")
        fields.card = body.object("agent_card")
        fields.variables = body.stringMap("variables")
        fields.timeout = body.integer("auto_stop_timeout_sec", greaterThan: 0, atMost: 1800)
        if case .some(.some(let location)) = fields.location, NormalizedLocation(location) == nil {
            body.fail("value_error", ["location"], "Value error, Invalid provider location: \(location)",
                      input: .string(location), ctx: ["error": "invalid docker image reference or URL"])
        }
        if case .some(.some(let variables)) = fields.variables, variables.count > Self.maxVariables {
            body.fail("too_long", ["variables"], "Dictionary should have at most \(Self.maxVariables) items",
                      input: .int(variables.count), ctx: ["max_length": .int(Self.maxVariables)])
        }
        return fields
    }

    private func create(_ request: SandboxRequest, caller: Caller, store: Bool) -> SandboxResponse {
        var issues: [ValidationIssue] = []
        guard var body = BodyValidator(request.json, issues: &issues) else { return .validation(issues) }
        let fields = readFields(&body, locationRequired: true)
        guard body.issues.isEmpty, case .some(.some(let location)) = fields.location,
              let normalized = NormalizedLocation(location) else { return .validation(body.issues) }
        if store && (world.providers[normalized.id] != nil
            || world.providers.values.contains { $0.source == normalized.source }) {
            return .detail(400, "Provider with location \(normalized.source) already exists")
        }
        let origin = (fields.origin ?? nil) ?? normalized.origin
        let image = world.agentImages[origin] ?? world.agentImages[normalized.origin]
        let card = (fields.card ?? nil)
            ?? image?.agentCard ?? AgentCardNormalizer.defaultCard(source: normalized.source, origin: origin)
        let now = self.now
        let provider = ProviderRecord(
            id: normalized.id, source: normalized.source, origin: origin, isNetwork: normalized.isNetwork,
            createdBy: caller.id, agentCard: AgentCardNormalizer.normalize(card),
            autoStopTimeoutSec: (fields.timeout ?? nil) ?? Self.defaultAutoStopSeconds, registry: nil,
            variables: ((fields.variables ?? nil) ?? [:]).compactMapValues { $0 }, env: image?.env ?? [],
            createdAt: now, updatedAt: now, lastActiveAt: nil, lastError: nil
        )
        if store {
            world.providers[provider.id] = provider
            return .json(201, provider.response(proxyBase: nil))
        }
        return .json(200, provider.response(proxyBase: nil))
    }

    private func patch(_ id: String, _ request: SandboxRequest) -> SandboxResponse {
        guard var provider = world.providers[id] else { return notFound(id) }
        if let registry = provider.registry {
            return .detail(500, "Internal Server Error: provider \(id) is managed by registry \(registry)")
        }
        var issues: [ValidationIssue] = []
        guard var body = BodyValidator(request.json, issues: &issues) else { return .validation(issues) }
        let fields = readFields(&body, locationRequired: false)
        guard body.issues.isEmpty else { return .validation(body.issues) }
        let before = provider
        if case .some(.some(let location)) = fields.location, let normalized = NormalizedLocation(location) {
            if normalized.source != provider.source,
               world.providers.values.contains(where: { $0.id != id && $0.source == normalized.source }) {
                return .detail(400, "Provider with location \(normalized.source) already exists")
            }
            provider.source = normalized.source
            provider.isNetwork = normalized.isNetwork
        }
        // An omitted or null origin is recomputed from the location, unlike every other field.
        if case .some(.some(let origin)) = fields.origin {
            provider.origin = origin
        } else if let normalized = NormalizedLocation(provider.source) {
            provider.origin = normalized.origin
        }
        if case .some(.some(let card)) = fields.card {
            provider.agentCard = AgentCardNormalizer.normalize(card)
        }
        if case .some(.some(let variables)) = fields.variables {
            provider.variables = variables.compactMapValues { $0 }
        }
        if case .some(.some(let timeout)) = fields.timeout {
            provider.autoStopTimeoutSec = timeout
        }
        if provider != before {
            provider.updatedAt = now
            world.providers[id] = provider
        }
        return .json(200, provider.response(proxyBase: nil))
    }

    private func putVariables(_ id: String, _ request: SandboxRequest) -> SandboxResponse {
        guard var provider = world.providers[id] else { return notFound(id) }
        var issues: [ValidationIssue] = []
        guard var body = BodyValidator(request.json, issues: &issues) else { return .validation(issues) }
        guard body.body["variables"] != nil else {
            body.fail("missing", ["variables"], "Field required", input: .object(body.body))
            return .validation(body.issues)
        }
        let changes = body.stringMap("variables", nullValues: true)
        guard body.issues.isEmpty, case .some(.some(let changes)) = changes else {
            if body.issues.isEmpty {
                body.fail("dict_type", ["variables"], "Input should be a valid dictionary", input: .null)
            }
            return .validation(body.issues)
        }
        if changes.count > Self.maxVariables {
            body.fail("too_long", ["variables"], "Dictionary should have at most \(Self.maxVariables) items",
                      input: .int(changes.count), ctx: ["max_length": .int(Self.maxVariables)])
            return .validation(body.issues)
        }
        for (name, value) in changes {
            provider.variables[name] = value
        }
        world.providers[id] = provider
        return SandboxResponse(status: 201, body: Array("null".utf8))
    }
}
