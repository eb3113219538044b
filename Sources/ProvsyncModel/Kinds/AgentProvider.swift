/// Agent providers (`kind: AgentProvider`, API 2): identified by origin, created and changed in place.
package enum AgentProviderKind: ResourceKind {
    package static let kind = ManifestKind.agentProvider

    package static func spec(in body: Manifest.Body) -> AgentProviderManifest? {
        if case .agentProvider(let spec) = body { spec } else { nil }
    }

    package static var liveObjects: WritableKeyPath<LiveSnapshot, [LiveAgentProvider]> { \.agentProviders }

    package static func address(of live: LiveAgentProvider) -> ResourceAddress { live.address }

    package static func identity(of live: LiveAgentProvider) -> String { live.id }

    package static func planned(_ operation: AgentProviderOperation) -> PlannedOperation { .agentProvider(operation) }

    package static func operation(in planned: PlannedOperation) -> AgentProviderOperation? {
        if case .agentProvider(let operation) = planned { operation } else { nil }
    }

    package static func deletion(of live: LiveAgentProvider, cascade: Bool) -> AgentProviderOperation {
        .delete(id: live.id, origin: live.origin)
    }
}

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

/// An agent provider as the agent API reports it (`Provider`), with its variables when they were read.
package struct LiveAgentProvider: Sendable, Hashable, Codable {
    package var id: String
    /// The normalised location.
    package var source: String
    package var origin: String
    package var agentCard: JSONValue?
    /// Parsed from the ISO-8601 `auto_stop_timeout`; nil when absent or unreadable.
    package var autoStopTimeoutSec: Int?
    /// Read through the variables endpoint, only for providers whose manifest manages them; nil when not read.
    package var variables: [String: String]?
    /// `missing`, `starting`, `ready`, `running`, `error`, or `online`/`offline` for network providers.
    package var state: String
    /// Set for providers synced from a server-side registry, which refuse updates.
    package var registry: String?
    /// Names of required variables that are not set.
    package var missingConfiguration: [String]
    package var lastError: String?
    package var updatedAt: String?

    package init(
        id: String, source: String, origin: String, agentCard: JSONValue? = nil, autoStopTimeoutSec: Int? = nil,
        variables: [String: String]? = nil, state: String = "ready", registry: String? = nil,
        missingConfiguration: [String] = [], lastError: String? = nil, updatedAt: String? = nil
    ) {
        self.id = id
        self.source = source
        self.origin = origin
        self.agentCard = agentCard
        self.autoStopTimeoutSec = autoStopTimeoutSec
        self.variables = variables
        self.state = state
        self.registry = registry
        self.missingConfiguration = missingConfiguration
        self.lastError = lastError
        self.updatedAt = updatedAt
    }

    package var address: ResourceAddress { .agent(origin: origin) }
}

/// The body of an agent provider create, preview or PATCH. A nil field is left out of the request, which
/// on PATCH keeps the server's value (except `origin`, which the server then recomputes from the location).
/// Variables may hold secrets: in memory only.
package struct AgentProviderRequest: Sendable, Hashable {
    package var location: String?
    package var origin: String?
    package var agentCard: JSONValue?
    package var variables: [String: String]?
    package var autoStopTimeoutSec: Int?

    package init(location: String? = nil, origin: String? = nil, agentCard: JSONValue? = nil,
                 variables: [String: String]? = nil, autoStopTimeoutSec: Int? = nil) {
        self.location = location
        self.origin = origin
        self.agentCard = agentCard
        self.variables = variables
        self.autoStopTimeoutSec = autoStopTimeoutSec
    }

    /// The origin a create with this body makes: the one sent, else the one the API derives from the location.
    package var resultingOrigin: String? {
        origin ?? location.flatMap { try? AgentLocation.parse($0).get() }?.origin
    }
}

/// A create of one agent provider: the body, and what the server will make of it by the plan's reading of
/// the server (its spelling of the location, learned from the server where it depends on its configuration),
/// which the pre-write check, the confirmation of a lost answer and the dry run compare with.
package struct AgentProviderCreate: Sendable, Hashable {
    package var request: AgentProviderRequest
    /// The `source` the server will store.
    package var source: String
    /// The `origin` the provider will have: the pinned one, else the one the server derives from `source`.
    package var origin: String

    package init(request: AgentProviderRequest, source: String, origin: String) {
        self.request = request
        self.source = source
        self.origin = origin
    }
}

/// A PATCH of one agent provider, with what the dry run and the pre-write check need beside the body.
package struct AgentProviderUpdate: Sendable, Hashable {
    package var id: String
    /// The `source` the server will hold afterwards.
    package var source: String
    /// The PATCH body: only the fields whose difference is planned (and a pinned origin, always).
    package var request: AgentProviderRequest
    /// The whole desired provider as a create body: what a dry run sends to the preview endpoint (the PATCH
    /// body alone may lack the location it needs).
    package var wholeProvider: AgentProviderRequest
    /// Whether the plan read the provider's variables (its manifest manages them); the pre-write check reads
    /// them alike, so the fingerprints compare.
    package var readsVariables: Bool

    package init(id: String, source: String, request: AgentProviderRequest, wholeProvider: AgentProviderRequest,
                 readsVariables: Bool) {
        self.id = id
        self.source = source
        self.request = request
        self.wholeProvider = wholeProvider
        self.readsVariables = readsVariables
    }
}

/// The API calls of one agent provider change.
package enum AgentProviderOperation: Sendable, Hashable {
    case create(AgentProviderCreate)
    case update(AgentProviderUpdate)
    /// `DELETE /api/v1/providers/{id}`.
    case delete(id: String, origin: String)
}
