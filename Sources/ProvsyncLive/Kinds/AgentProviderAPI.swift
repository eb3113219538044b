import ProvsyncModel

/// The agent API's provider reads, as apply and the dry run use them.
package protocol AgentProviderReading: Sendable {
    /// `GET /api/v1/providers`, every page, optionally filtered by origin. Variables are not read.
    func agentProviders(origin: String?) async throws(APIError) -> [LiveAgentProvider]
    /// `GET /api/v1/providers/{id}`, with its variables when asked; nil when it does not exist.
    func agentProvider(id: String, includingVariables: Bool) async throws(APIError) -> LiveAgentProvider?
    /// `GET /api/v1/providers/by-location/{location}`: the provider the server stores at `location` (which
    /// it normalises as on create); nil when there is none.
    func agentProvider(atLocation location: String) async throws(APIError) -> LiveAgentProvider?
    /// `POST /api/v1/providers/preview`: the provider as a create would make it; nothing is stored.
    func preview(_ request: AgentProviderRequest) async throws(APIError) -> LiveAgentProvider
}

/// The agent API's provider writes.
package protocol AgentProviderWriting: Sendable {
    func createAgentProvider(_ request: AgentProviderRequest) async throws(APIError) -> LiveAgentProvider
    func updateAgentProvider(id: String, _ request: AgentProviderRequest) async throws(APIError) -> LiveAgentProvider
    func deleteAgentProvider(id: String, origin: String) async throws(APIError)
}

extension AgentProviderKind: KindReading {
    package static func list(with reader: LiveReader) async throws(APIError) -> [LiveAgentProvider] {
        try await reader.agentProviders()
    }

    /// The variables of the providers named, one GET each.
    package static func readingDetails(of objects: [LiveAgentProvider], identities: Set<String>, with reader: LiveReader,
                                       parallelism: Int) async throws(APIError) -> [LiveAgentProvider] {
        var providers = objects
        let chosen = providers.indices.filter { identities.contains(providers[$0].id) }
        let ids = chosen.map { providers[$0].id }
        let variables = try await VariablesFetcher.fetch(ids: ids, parallelism: parallelism) { id throws(APIError) in
            try await reader.variables(providerID: id)
        }
        var gone: Set<String> = []
        for (index, id) in zip(chosen, ids) {
            if let values = variables[id] ?? nil {
                providers[index].variables = values
            } else {
                gone.insert(id)
            }
        }
        providers.removeAll { gone.contains($0.id) }
        return providers
    }

    package static func sorted(_ objects: [LiveAgentProvider]) -> [LiveAgentProvider] {
        objects.sorted { ($0.origin, $0.id) < ($1.origin, $1.id) }
    }
}

extension LiveReader: AgentProviderReading {
    package func agentProviders(origin: String? = nil) async throws(APIError) -> [LiveAgentProvider] {
        let client = self.client
        return try await ProviderPages.collect(label: "GET /api/v1/providers") { token throws(APIError) in
            var query: [(name: String, value: String)] = []
            if let origin { query.append(("origin", origin)) }
            if let token { query.append(("page_token", token)) }
            return try await client.fetch(WireProviderPage.self,
                                          APIRequest(.get, .agents, ["api", "v1", "providers"], query: query))
        }
    }

    /// The provider with this origin (filtered by the API and checked here), optionally with its variables.
    package func agentProvider(origin: String, includingVariables: Bool = false)
        async throws(APIError) -> LiveAgentProvider? {
        guard var provider = try await agentProviders(origin: origin).first(where: { $0.origin == origin }) else {
            return nil
        }
        if includingVariables {
            guard let values = try await variables(providerID: provider.id) else { return nil }
            provider.variables = values
        }
        return provider
    }

    package func agentProvider(id: String, includingVariables: Bool = false)
        async throws(APIError) -> LiveAgentProvider? {
        do {
            var provider = try await client.fetch(WireAgentProvider.self,
                                                  APIRequest(.get, .agents, ["api", "v1", "providers", id])).value
            if includingVariables {
                guard let values = try await variables(providerID: id) else { return nil }
                provider.variables = values
            }
            return provider
        } catch where error.kind == .notFound {
            return nil
        }
    }

    package func agentProvider(atLocation location: String) async throws(APIError) -> LiveAgentProvider? {
        do {
            return try await client.fetch(WireAgentProvider.self,
                                          APIRequest(.get, .agents, ["api", "v1", "providers", "by-location", location]))
                .value
        } catch where error.kind == .notFound {
            return nil
        }
    }

    /// `GET /api/v1/providers/{id}/variables`; nil on 404 (the provider is gone).
    package func variables(providerID id: String) async throws(APIError) -> [String: String]? {
        do {
            let request = APIRequest(.get, .agents, ["api", "v1", "providers", id, "variables"])
            return try await client.fetch(WireVariables.self, request).variables
        } catch where error.kind == .notFound {
            return nil
        } catch where error.kind == .forbidden {
            var denied = error
            denied.isDeniedVariablesRead = true
            throw denied
        }
    }

    package func preview(_ request: AgentProviderRequest) async throws(APIError) -> LiveAgentProvider {
        let subject = request.origin.map { "(agent/\($0))" } ?? request.location
        let label = "POST /api/v1/providers/preview"
        let body = try APIClient.body(AgentProviderBodies.body(request), for: label)
        let call = APIRequest(.post, .agents, ["api", "v1", "providers", "preview"], body: body, subject: subject)
        return try await client.fetch(WireAgentProvider.self, call).value
    }
}

extension LiveWriter: AgentProviderWriting {
    /// `POST /api/v1/providers`.
    package func createAgentProvider(_ request: AgentProviderRequest) async throws(APIError) -> LiveAgentProvider {
        let subject = request.origin.map { "(agent/\($0))" } ?? request.location
        let body = try APIClient.body(AgentProviderBodies.body(request), for: "POST /api/v1/providers")
        let call = APIRequest(.post, .agents, ["api", "v1", "providers"], body: body, subject: subject)
        return try await client.fetch(WireAgentProvider.self, call).value
    }

    /// `PATCH /api/v1/providers/{id}`: nil fields are left out and keep their value, except `origin`, which
    /// the server recomputes from the location when it is not sent.
    package func updateAgentProvider(id: String, _ request: AgentProviderRequest)
        async throws(APIError) -> LiveAgentProvider {
        let subject = request.origin.map { "(agent/\($0))" }
        let body = try APIClient.body(AgentProviderBodies.body(request), for: "PATCH /api/v1/providers/\(id)")
        let call = APIRequest(.patch, .agents, ["api", "v1", "providers", id], body: body, subject: subject)
        return try await client.fetch(WireAgentProvider.self, call).value
    }

    /// `DELETE /api/v1/providers/{id}` (204).
    package func deleteAgentProvider(id: String, origin: String) async throws(APIError) {
        let call = APIRequest(.delete, .agents, ["api", "v1", "providers", id], subject: "(agent/\(origin))")
        _ = try await client.send(call)
    }
}

/// The JSON bodies of create, preview and PATCH. They may hold secrets (variables), so they are only ever
/// sent, never printed.
enum AgentProviderBodies {
    /// Nil fields are left out (on PATCH that keeps the server's value).
    static func body(_ request: AgentProviderRequest) -> JSONValue {
        var body: [String: JSONValue] = [:]
        if let location = request.location { body["location"] = .string(location) }
        if let origin = request.origin { body["origin"] = .string(origin) }
        if let card = request.agentCard { body["agent_card"] = card }
        if let variables = request.variables { body["variables"] = .object(variables.mapValues(JSONValue.string)) }
        if let timeout = request.autoStopTimeoutSec { body["auto_stop_timeout_sec"] = .integer(timeout) }
        return .object(body)
    }
}
