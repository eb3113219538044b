import ProvsyncLive
import ProvsyncModel

/// An in-memory stand-in for both APIs whose writes follow a script: each call of a write takes the next
/// step for its name (`install`, `upgrade`, `uninstall`, `create`, `update`), and works when none is left.
/// Every call is recorded, so a test can count what was sent.
actor ScriptedAPI: LiveReading, LiveWriting {
    /// What one write call does.
    enum Step {
        /// Carried out and answered.
        case works
        /// Carried out, but the answer is lost (the outcome is unknown to the client).
        case lostReply
        /// Never reaches the server, and the client cannot tell (the outcome is unknown).
        case dropped
        /// Refused with this status.
        case refused(Int)
    }

    private(set) var installations: [String: LiveInstallation] = [:]
    private(set) var providers: [String: LiveAgentProvider] = [:]
    private(set) var calls: [String] = []
    private var script: [String: [Step]]
    /// When set, every read fails with this error.
    private var failingReads: APIError?

    init(installations: [LiveInstallation] = [], providers: [LiveAgentProvider] = [], script: [String: [Step]] = [:]) {
        self.installations = Dictionary(uniqueKeysWithValues: installations.map { ($0.providerName, $0) })
        self.providers = Dictionary(uniqueKeysWithValues: providers.map { ($0.id, $0) })
        self.script = script
    }

    func failReads(with error: APIError?) {
        failingReads = error
    }

    func count(_ name: String) -> Int { calls.count { $0 == name } }

    // MARK: Reads

    func installations() async throws(APIError) -> [LiveInstallation] {
        try read("installations")
        return installations.values.sorted { $0.providerName < $1.providerName }
    }

    func versions(of providerName: String) async throws(APIError) -> [String] {
        try read("versions")
        return ["1.0.0", "2.0.0"]
    }

    func agentProviders(origin: String?) async throws(APIError) -> [LiveAgentProvider] {
        try read("providers")
        return providers.values.filter { origin == nil || $0.origin == origin }.sorted { $0.id < $1.id }
    }

    func agentProvider(id: String, includingVariables: Bool) async throws(APIError) -> LiveAgentProvider? {
        try read("provider")
        guard var provider = providers[id] else { return nil }
        if !includingVariables { provider.variables = nil }
        return provider
    }

    func agentProvider(atLocation location: String) async throws(APIError) -> LiveAgentProvider? {
        try read("by-location")
        return providers.values.first { $0.source == location }
    }

    func preview(_ request: AgentProviderRequest) async throws(APIError) -> LiveAgentProvider {
        try read("preview")
        return LiveAgentProvider(id: "preview", source: request.location ?? "", origin: request.resultingOrigin ?? "")
    }

    // MARK: Writes

    func install(_ request: InstallRequest) async throws(APIError) -> LiveInstallation {
        let installation = LiveInstallation(providerName: request.providerName, installedVersion: request.version ?? "1.0.0",
                                            config: request.config, lifecycleState: "pending")
        return try write("install", request.providerName) { installations[request.providerName] = installation }
            .map { installation } ?? installation
    }

    func upgrade(providerName: String, to version: String?) async throws(APIError) -> LiveInstallation {
        try moveVersion("upgrade", providerName, to: version ?? "2.0.0")
    }

    func downgrade(providerName: String, to version: String) async throws(APIError) -> LiveInstallation {
        try moveVersion("downgrade", providerName, to: version)
    }

    func uninstall(providerName: String, cascade: Bool) async throws(APIError) {
        _ = try write("uninstall", providerName) { installations[providerName] = nil }
    }

    func deleteAgentProvider(id: String, origin: String) async throws(APIError) {
        _ = try write("delete", id) { providers[id] = nil }
    }

    func createAgentProvider(_ request: AgentProviderRequest) async throws(APIError) -> LiveAgentProvider {
        let provider = LiveAgentProvider(id: "id-\(request.resultingOrigin ?? "?")", source: request.location ?? "",
                                         origin: request.resultingOrigin ?? "", autoStopTimeoutSec: request.autoStopTimeoutSec,
                                         variables: request.variables ?? [:])
        _ = try write("create", request.location ?? "") { providers[provider.id] = provider }
        return provider
    }

    func updateAgentProvider(id: String, _ request: AgentProviderRequest) async throws(APIError) -> LiveAgentProvider {
        _ = try write("update", id) {
            guard var provider = providers[id] else { return }
            if let timeout = request.autoStopTimeoutSec { provider.autoStopTimeoutSec = timeout }
            if let variables = request.variables { provider.variables = variables }
            if let origin = request.origin { provider.origin = origin }
            if let location = request.location { provider.source = location }
            providers[id] = provider
        }
        return providers[id] ?? LiveAgentProvider(id: id, source: "", origin: "")
    }

    // MARK: Script

    private func read(_ name: String) throws(APIError) {
        calls.append("read \(name)")
        if let failingReads { throw failingReads }
    }

    private func moveVersion(_ name: String, _ providerName: String, to version: String) throws(APIError) -> LiveInstallation {
        _ = try write(name, providerName) { installations[providerName]?.installedVersion = version }
        return installations[providerName] ?? LiveInstallation(providerName: providerName, installedVersion: version)
    }

    /// Takes the next step for `name`: carries out `effect` unless the request is dropped or refused, and
    /// throws as the step says.
    private func write(_ name: String, _ subject: String, effect: () -> Void) throws(APIError) -> Void? {
        calls.append(name)
        let step = script[name]?.isEmpty == false ? script[name]?.removeFirst() ?? .works : .works
        let label = "\(name) \(subject)"
        switch step {
        case .works:
            effect()
            return ()
        case .lostReply:
            effect()
            throw APIError(request: label, status: nil, kind: .connectionLost, message: "the connection was lost",
                           isOutcomeUnknown: true)
        case .dropped:
            throw APIError(request: label, status: nil, kind: .connectionLost, message: "the connection was lost",
                           isOutcomeUnknown: true)
        case .refused(let status):
            throw APIError(request: label, status: status, kind: .of(status: status), message: "refused")
        }
    }
}
