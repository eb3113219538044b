import ProvsyncModel

/// Reads live state from both APIs. It has no write methods, so plan, drift and `apply --dry-run` can
/// hold it without being able to change anything (preview stores nothing).
package struct LiveReader: Sendable {
    private let client: APIClient

    package init(client: APIClient) {
        self.client = client
    }

    package init(endpoints: APIEndpoints, credentials: Credentials, options: APIClientOptions = APIClientOptions()) {
        self.init(client: APIClient(endpoints: endpoints, credentials: credentials, options: options))
    }

    /// Everything both APIs hold: all installations and agent providers, with variables read (at most
    /// `parallelism` requests at once) only for providers whose origin is in `managedOrigins`.
    /// A provider deleted between the list and its variables read is left out.
    package func snapshot(managedOrigins: Set<String>, parallelism: Int = 8) async throws(APIError) -> LiveSnapshot {
        // Two parts side by side: the variables reads wait only for the provider list, not for the installation
        // list. When the installation list fails, the variables reads stop (no new one starts) and its error is
        // the one reported, as it would be had it been read first.
        enum Part: Sendable {
            case installations(Result<[LiveInstallation], APIError>)
            case agentProviders(Result<[LiveAgentProvider], APIError>)
        }
        let parts = await withTaskGroup(of: Part.self, returning: [Part].self) { group in
            group.addTask { .installations(await Self.capture { () async throws(APIError) in try await installations() }) }
            group.addTask {
                .agentProviders(await Self.capture { () async throws(APIError) in
                    try await agentProvidersWithVariables(managedOrigins: managedOrigins, parallelism: parallelism)
                })
            }
            var parts: [Part] = []
            for await part in group {
                if case .installations(.failure) = part { group.cancelAll() }
                parts.append(part)
            }
            return parts
        }
        var liveInstallations: [LiveInstallation] = []
        var liveProviders: [LiveAgentProvider] = []
        for case .installations(let result) in parts {
            liveInstallations = try result.get()
        }
        for case .agentProviders(let result) in parts {
            liveProviders = try result.get()
        }
        return LiveSnapshot(
            installations: liveInstallations.sorted { $0.providerName < $1.providerName },
            agentProviders: liveProviders.sorted { ($0.origin, $0.id) < ($1.origin, $1.id) }
        )
    }

    /// Every agent provider, with variables read for those whose origin is in `managedOrigins`; a provider
    /// deleted between the list and its variables read is left out.
    private func agentProvidersWithVariables(managedOrigins: Set<String>, parallelism: Int)
        async throws(APIError) -> [LiveAgentProvider] {
        var providers = try await agentProviders()
        let managed = providers.indices.filter { managedOrigins.contains(providers[$0].origin) }
        let ids = managed.map { providers[$0].id }
        let variables = try await VariablesFetcher.fetch(ids: ids, parallelism: parallelism) { id throws(APIError) in
            try await self.variables(providerID: id)
        }
        var gone: Set<String> = []
        for (index, id) in zip(managed, ids) {
            if let values = variables[id] ?? nil {
                providers[index].variables = values
            } else {
                gone.insert(id)
            }
        }
        providers.removeAll { gone.contains($0.id) }
        return providers
    }

    // MARK: Store API

    /// `GET /providers/installed`.
    package func installations() async throws(APIError) -> [LiveInstallation] {
        try await client.fetch([WireInstallation].self, APIRequest(.get, .store, ["providers", "installed"]))
            .map(\.value)
    }

    /// One installation by `org/name`, read through the list (the API has no get-one endpoint).
    package func installation(named providerName: String) async throws(APIError) -> LiveInstallation? {
        try await installations().first { $0.providerName == providerName }
    }

    /// Published versions of `org/name`, newest first as the API lists them.
    package func versions(of providerName: String) async throws(APIError) -> [String] {
        let request = APIRequest(.get, .store, ["providers"] + Self.segments(providerName) + ["versions"])
        return try await client.fetch([WireVersion].self, request).compactMap(\.version)
    }

    // MARK: Agent API

    /// `GET /api/v1/providers`, every page, optionally filtered by origin. Variables are not read.
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

    /// `GET /api/v1/providers/{id}`; nil on 404.
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

    /// `GET /api/v1/providers/{id}/variables`; nil on 404 (the provider is gone).
    package func variables(providerID id: String) async throws(APIError) -> [String: String]? {
        do {
            let request = APIRequest(.get, .agents, ["api", "v1", "providers", id, "variables"])
            return try await client.fetch(WireVariables.self, request).variables
        } catch where error.kind == .notFound {
            return nil
        }
    }

    /// `POST /api/v1/providers/preview`: the provider as a create would make it; nothing is stored.
    package func preview(_ request: AgentProviderRequest) async throws(APIError) -> LiveAgentProvider {
        let subject = request.origin.map { "(agent/\($0))" } ?? request.location
        let label = "POST /api/v1/providers/preview"
        let body = try APIClient.body(RequestBodies.agentProvider(request), for: label)
        let call = APIRequest(.post, .agents, ["api", "v1", "providers", "preview"], body: body, subject: subject)
        return try await client.fetch(WireAgentProvider.self, call).value
    }

    /// The outcome of `body` as a value, so two reads can run side by side with `async let`.
    private static func capture<Value: Sendable>(_ body: () async throws(APIError) -> Value) async
        -> Result<Value, APIError> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }

    /// `org/name` as two path segments.
    static func segments(_ providerName: String) -> [String] {
        providerName.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    }
}
