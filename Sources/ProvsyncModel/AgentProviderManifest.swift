/// The desired state of one agent provider (`kind: AgentProvider`).
package struct AgentProviderManifest: Sendable, Hashable, Codable {
    /// The location as written: an image reference or an http(s) URL.
    package var location: String
    /// The agent's identity: written in the manifest, or derived from the location.
    package var origin: String
    /// True when the manifest pins `origin` itself (it is then always sent to the API).
    package var originIsPinned: Bool
    /// nil means the server's default.
    package var autoStopTimeoutSec: Int?
    /// nil means the variables are not managed; an empty map means "no variables".
    package var variables: [String: TemplatedString]?
    /// nil means the server takes the card from the image or URL.
    package var agentCard: JSONValue?
    package var policy: ManifestPolicy

    package init(
        location: String,
        origin: String,
        originIsPinned: Bool = false,
        autoStopTimeoutSec: Int? = nil,
        variables: [String: TemplatedString]? = nil,
        agentCard: JSONValue? = nil,
        policy: ManifestPolicy = ManifestPolicy()
    ) {
        self.location = location
        self.origin = origin
        self.originIsPinned = originIsPinned
        self.autoStopTimeoutSec = autoStopTimeoutSec
        self.variables = variables
        self.agentCard = agentCard
        self.policy = policy
    }

    package var address: ResourceAddress { .agent(origin: origin) }
}
