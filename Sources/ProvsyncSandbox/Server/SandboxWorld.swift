import Foundation

/// Everything the sandbox stores: what is installed, the agent providers and the catalogs. This is what
/// the state file holds, what `/_sandbox/state` dumps and loads, and the shape of a seed file.
struct SandboxWorld: Sendable, Codable, Hashable {
    /// Installations keyed by `prefix/name`.
    var installations: [String: InstallationRecord] = [:]
    /// Agent providers keyed by id.
    var providers: [String: ProviderRecord] = [:]
    /// Installable store providers keyed by `org/name`.
    var catalog: [String: CatalogEntry] = [:]
    /// When true, a provider missing from the catalog installs at any semantic version (latest 1.0.0).
    var openCatalog: Bool = true
    /// Agent images keyed by origin: the card they serve and the variables they need.
    var agentImages: [String: AgentImage] = [:]

    enum CodingKeys: String, CodingKey {
        case installations, providers, catalog, openCatalog = "open_catalog", agentImages = "agent_images"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        installations = try container.decodeIfPresent([String: InstallationRecord].self, forKey: .installations) ?? [:]
        providers = try container.decodeIfPresent([String: ProviderRecord].self, forKey: .providers) ?? [:]
        catalog = try container.decodeIfPresent([String: CatalogEntry].self, forKey: .catalog) ?? [:]
        openCatalog = try container.decodeIfPresent(Bool.self, forKey: .openCatalog) ?? true
        agentImages = try container.decodeIfPresent([String: AgentImage].self, forKey: .agentImages) ?? [:]
    }

    /// The built-in world: a catalog matching the demo manifests, one provider with a broken release.
    static let builtIn: SandboxWorld = {
        var world = SandboxWorld()
        world.catalog = [
            "acme/postgres": CatalogEntry(versions: ["1.3.0", "1.4.0", "1.4.2", "1.5.0"]),
            "acme/prometheus": CatalogEntry(versions: ["2.7.1", "2.8.0", "2.9.0"]),
            "acme/loki": CatalogEntry(versions: ["3.0.0", "3.1.0"]),
            "acme/redis": CatalogEntry(versions: ["7.0.15", "7.2.4"]),
            "acme/flaky": CatalogEntry(versions: ["0.1.0", "0.2.0"], broken: ["0.2.0"]),
        ]
        world.agentImages = [
            "ghcr.io/acme/research-agent": AgentImage(
                agentCard: ["name": "Research", "description": "Finds and summarises sources.",
                            "skills": [["id": "research", "name": "Research a question"]]],
                env: [ProviderRecord.EnvRequirement(name: "OPENAI_API_KEY", description: "Model access", required: true)]
            ),
        ]
        return world
    }()

    /// Versions `org/name` may be installed at, or nil when it cannot be installed at all.
    func publishedVersions(of canonical: String) -> CatalogEntry? {
        if let entry = catalog[canonical] { return entry }
        return openCatalog ? CatalogEntry(versions: ["1.0.0"]) : nil
    }

    func isPublished(_ version: String, of canonical: String) -> Bool {
        if let entry = catalog[canonical] { return entry.versions.contains(version) }
        return openCatalog && Self.isSemanticVersion(version)
    }

    static func isSemanticVersion(_ text: String) -> Bool {
        let core = text.split(separator: "-", maxSplits: 1).first ?? ""
        let numbers = core.split(separator: ".", omittingEmptySubsequences: false)
        return numbers.count == 3 && numbers.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }
}
