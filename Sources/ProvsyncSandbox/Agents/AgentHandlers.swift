import Foundation

/// The agent provider API (API 2 of the contract), under `/api/v1`, as agentstack-server 0.4.2 answers it.
extension SandboxState {
    static let maxVariables = 100
    static let defaultAutoStopSeconds = 1200

    func handleAgents(_ route: SandboxRoute, _ request: SandboxRequest, caller: Caller) -> SandboxResponse {
        let proxyBase = "http://\(request.host ?? "\(configuration.host):\(configuration.port)")"
        switch route {
        case .methodNotAllowed:
            return request.method == "HEAD" ? SandboxResponse(status: 405) : .detail(405, "Method Not Allowed")
        case .openAPI:
            return .json(200, SandboxJSON.object([
                "openapi": "3.1.0",
                "info": .object(["title": "provsync sandbox (agent provider API)", "version": "0.4.2-rc1"]),
                "paths": .object([:]),
            ]))
        case .listProviders:
            return list(request, caller: caller, proxyBase: proxyBase)
        case .createProvider, .previewProvider:
            return create(request, caller: caller, store: route == .createProvider)
        case .getProvider(let raw):
            return withID(raw) { id in
                guard let provider = world.providers[id] else { return .detail(404, "Provider with ID: \(id) not found") }
                return .json(200, provider.response(proxyBase: proxyBase))
            }
        case .providerByLocation(let location):
            guard let provider = provider(at: location) else { return .detail(404, "Provider with ID: None not found") }
            return .json(200, provider.response(proxyBase: proxyBase))
        case .patchProvider(let raw):
            return withID(raw) { patch($0, request) }
        case .deleteProvider(let raw):
            return withID(raw) { id in
                guard world.providers.removeValue(forKey: id) != nil else { return notFound(id) }
                return SandboxResponse(status: 204, body: [])
            }
        case .getVariables(let raw):
            return withID(raw) { id in
                guard let provider = world.providers[id] else { return notFound(id) }
                return .json(200, SandboxJSON.object(["variables": .object(provider.variables.mapValues(SandboxJSON.string))]))
            }
        case .putVariables(let raw):
            return withID(raw) { putVariables($0, request) }
        default:
            return .detail(404, "Not Found")
        }
    }

    /// The 404 of PATCH, DELETE and both variables calls (GET words it differently).
    private func notFound(_ id: String) -> SandboxResponse {
        .detail(404, "provider with id \(id) not found")
    }

    private func withID(_ raw: String, _ body: (String) -> SandboxResponse) -> SandboxResponse {
        switch UUIDPath.parse(raw) {
        case .success(let id): body(id)
        case .failure(let issue): .validation([issue])
        }
    }

    private func list(_ request: SandboxRequest, caller: Caller, proxyBase: String) -> SandboxResponse {
        let origin = request.query["origin"]
        let owned: Bool?
        if let text = request.query["user_owned"] {
            switch text.lowercased() {
            case "1", "on", "t", "true", "y", "yes": owned = true
            case "0", "off", "f", "false", "n", "no": owned = false
            default:
                return .validation([ValidationIssue(
                    type: "bool_parsing", loc: [.key("query"), .key("user_owned")],
                    msg: "Input should be a valid boolean, unable to interpret input", input: .string(text)
                )])
            }
        } else {
            owned = nil
        }
        let build = { () -> SandboxJSON in
            // Filtered before sorted: the list by origin (one provider) is asked for before every create.
            var providers = origin.map { self.world.providers.withOrigin($0) } ?? Array(self.world.providers.values)
            if let owned { providers = providers.filter { ($0.createdBy == caller.id) == owned } }
            providers.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            let items = providers.map { $0.response(proxyBase: proxyBase) }
            return .object([
                "items": .array(items), "total_count": .int(items.count), "has_more": .bool(false),
                "next_page_token": providers.last.map { .string($0.id) } ?? .null,
            ])
        }
        // Only the full list is cached: filtered ones are small, and caching each filter would grow without bound.
        guard origin == nil, owned == nil else { return .json(200, build()) }
        return cachedList("providers \(proxyBase)", build: build)
    }

    /// by-location: a network location normalised as on create; an image only under its normalised spelling.
    /// The match is by the stored source, not by the id the location hashes to: a provider that moved away
    /// keeps that id, yet its old location is free to read (404), as the real server answers.
    private func provider(at location: String) -> ProviderRecord? {
        guard let normalized = NormalizedLocation(location, localNetwork: configuration.localNetwork) else { return nil }
        if normalized.isNetwork {
            return world.providers.withSource(normalized.source).first
        }
        return world.providers.withSource(location).first
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
        if let value = body.body["location"] {
            if let text = value.stringValue {
                fields.location = .some(text)
                if NormalizedLocation(text, localNetwork: configuration.localNetwork) == nil {
                    body.fail("url_parsing", ["location"], "Input should be a valid URL, empty host", input: value,
                              ctx: ["error": "empty host"])
                }
            } else if value.isNull && !locationRequired {
                fields.location = .some(nil)
            } else {
                body.fail("value_error", ["location", "DockerImageProviderLocation"],
                          "Value error, Invalid Docker image: \(Self.pythonText(value))", input: value,
                          ctx: ["error": .object([:])])
                body.fail("url_type", ["location", "function-wrap[_replace_localhost_url()]"],
                          "URL input should be a string or URL", input: value)
            }
        } else if locationRequired {
            body.fail("missing", ["location"], "Field required", input: .object(body.body))
        }
        fields.origin = body.optionalString("origin")
        fields.card = body.object("agent_card")
        if case .some(.some(let card)) = fields.card, case .failure(let failure) = AgentCardNormalizer.normalize(card) {
            for issue in failure.issues { body.fail(issue) }
        }
        fields.variables = body.stringMap("variables")
        fields.timeout = body.integer("auto_stop_timeout_sec", greaterThan: 0, atMost: 1800)
        if case .some(.some(let variables)) = fields.variables, variables.count > Self.maxVariables,
           let input = body.body["variables"] {
            body.fail("too_long", ["variables"],
                      "Dictionary should have at most \(Self.maxVariables) items after validation, not \(variables.count)",
                      input: input, ctx: ["field_type": "Dictionary", "max_length": .int(Self.maxVariables),
                                          "actual_length": .int(variables.count)])
        }
        return fields
    }

    private static func pythonText(_ value: SandboxJSON) -> String {
        switch value {
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): flag ? "True" : "False"
        case .null: "None"
        default: String(decoding: JSONWriter.bytes(value), as: UTF8.self)
        }
    }

    /// What a provider at a location gets from it: its card, the variables an image declares besides the card
    /// and, for an image, the digest its registry answered.
    private struct ResolvedLocation {
        var card: [String: SandboxJSON]
        var env: [ProviderRecord.EnvRequirement] = []
        var imageDigest: String?
    }

    /// The card the provider at `location` gets: the explicit card if sent, else the one the agent serves or the
    /// image's label holds. An image is resolved even with an explicit card. Errors as the server words them
    /// (resolution is 404 on create and preview, 400 on PATCH; a missing or undecodable label is 400).
    private func resolve(_ location: NormalizedLocation, explicit: [String: SandboxJSON]?, patching: Bool)
        -> Result<ResolvedLocation, SandboxResponseError> {
        var resolved = ResolvedLocation(card: explicit ?? [:])
        if let reference = location.image {
            switch agents.resolve(reference, builtIn: world.agentImages) {
            case .failure(let failure):
                return .failure(SandboxResponseError(.detail(patching ? 400 : 404,
                    "Failed to resolve version for '\(location.source)': \(failure.reason)")))
            case .success(let image):
                resolved.env = image.env
                resolved.imageDigest = image.digest
                if explicit == nil {
                    switch image.label.card(source: location.source) {
                    case .success(let card): resolved.card = card
                    case .failure(let error): return .failure(error)
                    }
                }
            }
        } else if explicit == nil {
            guard let served = agents.card(for: location) else {
                return .failure(SandboxResponseError(.detail(400, "Unable to load agents from location: "
                    + "\(location.source): All connection attempts failed")))
            }
            resolved.card = served
        }
        guard case .success(let card) = AgentCardNormalizer.normalize(resolved.card) else {
            return .failure(SandboxResponseError(.detail(400, "Unable to load agents from location: "
                + "\(location.source): the agent card is not valid")))
        }
        resolved.card = card
        return .success(resolved)
    }

    private func create(_ request: SandboxRequest, caller: Caller, store: Bool) -> SandboxResponse {
        var issues: [ValidationIssue] = []
        guard var body = BodyValidator(request, issues: &issues) else { return .validation(issues) }
        let fields = readFields(&body, locationRequired: true)
        guard body.issues.isEmpty, case .some(.some(let location)) = fields.location,
              let normalized = NormalizedLocation(location, localNetwork: configuration.localNetwork) else {
            return .validation(body.issues)
        }
        let resolved: ResolvedLocation
        switch resolve(normalized, explicit: fields.card ?? nil, patching: false) {
        case .success(let value): resolved = value
        case .failure(let error): return error.response
        }
        if store && (world.providers[normalized.id] != nil
            || !world.providers.withSource(normalized.source).isEmpty) {
            return .detail(400, "Duplicate provider found: source='\(normalized.source)' already exists")
        }
        let explicitOrigin = (fields.origin ?? nil).flatMap { $0.isEmpty ? nil : $0 }
        let now = self.now
        let provider = ProviderRecord(
            id: normalized.id, source: normalized.source,
            origin: store ? explicitOrigin ?? normalized.origin : normalized.origin, isNetwork: normalized.isNetwork,
            createdBy: store ? caller.id : UUID().uuidString.lowercased(), agentCard: resolved.card,
            autoStopTimeoutSec: store ? (fields.timeout ?? nil) ?? Self.defaultAutoStopSeconds : Self.defaultAutoStopSeconds,
            registry: nil,
            variables: store ? ((fields.variables ?? nil) ?? [:]).compactMapValues { $0 } : [:], env: resolved.env,
            createdAt: now, updatedAt: now, lastActiveAt: nil, lastError: nil, imageDigest: resolved.imageDigest
        )
        if store {
            world.providers[provider.id] = provider
        }
        return .json(200, provider.response(proxyBase: nil))
    }

    private func patch(_ id: String, _ request: SandboxRequest) -> SandboxResponse {
        guard var provider = world.providers[id] else { return notFound(id) }
        var issues: [ValidationIssue] = []
        guard var body = BodyValidator(request, issues: &issues) else { return .validation(issues) }
        let fields = readFields(&body, locationRequired: false)
        guard body.issues.isEmpty else { return .validation(body.issues) }
        if provider.registry != nil { return .internalError }
        let before = provider
        var card = fields.card ?? nil
        if case .some(.some(let location)) = fields.location,
           let normalized = NormalizedLocation(location, localNetwork: configuration.localNetwork),
           normalized.source != provider.source {
            switch resolve(normalized, explicit: card, patching: true) {
            case .success(let resolved):
                card = resolved.card
                provider.env = resolved.env
                provider.imageDigest = resolved.imageDigest
            case .failure(let error): return error.response
            }
            // The location is resolved first (a taken image without its label is a 400), then stored: a
            // location another provider holds breaks the unique constraint.
            if world.providers.values.contains(where: { $0.id != id
                && ($0.source == normalized.source || $0.id == normalized.id) }) {
                return .internalError
            }
            provider.source = normalized.source
            if provider.isNetwork != normalized.isNetwork { provider.probedState = nil }
            provider.isNetwork = normalized.isNetwork
        }
        // An omitted, null or empty origin is recomputed from the location, unlike every other field.
        if case .some(.some(let origin)) = fields.origin, !origin.isEmpty {
            provider.origin = origin
        } else if let normalized = NormalizedLocation(provider.source, localNetwork: configuration.localNetwork) {
            provider.origin = normalized.origin
        }
        if let card, case .success(let normalized) = AgentCardNormalizer.normalize(card) {
            provider.agentCard = normalized
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
        var issues: [ValidationIssue] = []
        guard var body = BodyValidator(request, issues: &issues) else { return .validation(issues) }
        guard let input = body.body["variables"] else {
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
            body.fail("too_long", ["variables"],
                      "Dictionary should have at most \(Self.maxVariables) items after validation, not \(changes.count)",
                      input: input, ctx: ["field_type": "Dictionary", "max_length": .int(Self.maxVariables),
                                          "actual_length": .int(changes.count)])
            return .validation(body.issues)
        }
        // An unknown id is accepted and changes nothing, as the real server does.
        guard var provider = world.providers[id] else { return SandboxResponse(status: 201, body: Array("null".utf8)) }
        for (name, value) in changes {
            provider.variables[name] = value
        }
        world.providers[id] = provider
        return SandboxResponse(status: 201, body: Array("null".utf8))
    }
}

/// An error answer carried through a `Result`.
struct SandboxResponseError: Error {
    var response: SandboxResponse
    init(_ response: SandboxResponse) { self.response = response }
}
