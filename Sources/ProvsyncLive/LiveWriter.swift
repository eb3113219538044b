import ProvsyncModel

/// Changes live state through both APIs. Kept apart from `LiveReader`, with its own HTTP layer, so only
/// `apply` ever holds it. Writes are retried only where the server cannot have acted (see `RetryPolicy`);
/// an `APIError` with `isOutcomeUnknown` means the change may or may not have happened.
package struct LiveWriter: Sendable {
    private let client: APIClient

    package init(client: APIClient) {
        self.client = client
    }

    package init(endpoints: APIEndpoints, credentials: Credentials, options: APIClientOptions = APIClientOptions()) {
        self.init(client: APIClient(endpoints: endpoints, credentials: credentials, options: options))
    }

    // MARK: Store API

    /// `POST /providers/install`; the installation comes back `pending`.
    package func install(_ request: InstallRequest) async throws(APIError) -> LiveInstallation {
        let label = "POST /providers/install \(request.providerName)"
        let body = try APIClient.body(RequestBodies.install(request), for: label)
        let call = APIRequest(.post, .store, ["providers", "install"], body: body, subject: request.providerName)
        return try await client.fetch(WireInstallation.self, call).value
    }

    /// `POST /providers/installed/{org}/{name}/upgrade`; nil upgrades to the latest version.
    package func upgrade(providerName: String, to version: String?) async throws(APIError) -> LiveInstallation {
        try await changeVersion(providerName, action: "upgrade", body: RequestBodies.upgrade(to: version))
    }

    /// `POST /providers/installed/{org}/{name}/downgrade`.
    package func downgrade(providerName: String, to version: String) async throws(APIError) -> LiveInstallation {
        try await changeVersion(providerName, action: "downgrade", body: RequestBodies.downgrade(to: version))
    }

    /// `DELETE /providers/installed/{org}/{name}?cascade=…`; a 409 while resources remain and not cascading.
    package func uninstall(providerName: String, cascade: Bool) async throws(APIError) {
        let call = APIRequest(.delete, .store, ["providers", "installed"] + LiveReader.segments(providerName),
                              query: [("cascade", cascade ? "true" : "false")])
        _ = try await client.send(call)
    }

    private func changeVersion(_ providerName: String, action: String, body: JSONValue)
        async throws(APIError) -> LiveInstallation {
        let segments = ["providers", "installed"] + LiveReader.segments(providerName) + [action]
        let data = try APIClient.body(body, for: "POST /\(segments.joined(separator: "/"))")
        return try await client.fetch(WireInstallation.self, APIRequest(.post, .store, segments, body: data)).value
    }

    // MARK: Agent API

    /// `POST /api/v1/providers`.
    package func createAgentProvider(_ request: AgentProviderRequest) async throws(APIError) -> LiveAgentProvider {
        let subject = request.origin.map { "(agent/\($0))" } ?? request.location
        let body = try APIClient.body(RequestBodies.agentProvider(request), for: "POST /api/v1/providers")
        let call = APIRequest(.post, .agents, ["api", "v1", "providers"], body: body, subject: subject)
        return try await client.fetch(WireAgentProvider.self, call).value
    }

    /// `PATCH /api/v1/providers/{id}`: nil fields are left out and keep their value, except `origin`, which
    /// the server recomputes from the location when it is not sent.
    package func updateAgentProvider(id: String, _ request: AgentProviderRequest)
        async throws(APIError) -> LiveAgentProvider {
        let subject = request.origin.map { "(agent/\($0))" }
        let body = try APIClient.body(RequestBodies.agentProvider(request), for: "PATCH /api/v1/providers/\(id)")
        let call = APIRequest(.patch, .agents, ["api", "v1", "providers", id], body: body, subject: subject)
        return try await client.fetch(WireAgentProvider.self, call).value
    }
}
