import Foundation

/// Everything the sandbox stores: what is installed, the agent providers and the catalogs. This is what
/// the state file holds, what `/_sandbox/state` dumps and loads, and the shape of a seed file.
struct SandboxWorld: Sendable, Codable, Hashable {
    /// Installations keyed by `prefix/name`.
    var installations: [String: InstallationRecord] = [:]
    /// Agent providers keyed by id.
    var providers = ProviderTable()
    /// The store's providers keyed by `org/name`, with their versions in every status. Only these install,
    /// and only at a published version.
    var catalog: [String: CatalogEntry] = [:]
    /// Agent images keyed by origin (every tag): the card their label holds and the variables they need. Used
    /// only without `--images` (`SandboxConfiguration.images`), where any other image exists with a default card.
    var agentImages: [String: AgentImage] = [:]

    enum CodingKeys: String, CodingKey {
        case installations, providers, catalog, agentImages = "agent_images"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        installations = try container.decodeIfPresent([String: InstallationRecord].self, forKey: .installations) ?? [:]
        providers = try container.decodeIfPresent(ProviderTable.self, forKey: .providers) ?? ProviderTable()
        catalog = try container.decodeIfPresent([String: CatalogEntry].self, forKey: .catalog) ?? [:]
        agentImages = try container.decodeIfPresent([String: AgentImage].self, forKey: .agentImages) ?? [:]
    }

    /// The built-in world: a catalog holding the demo manifests' versions (one provider with a broken
    /// release, versions still in admission or failed).
    static let builtIn: SandboxWorld = {
        var world = SandboxWorld()
        world.catalog = [
            "acme/postgres": CatalogEntry(versions: ["1.3.0", "1.4.0", "1.4.2", "1.5.0"].map { CatalogVersion($0) }
                + [CatalogVersion("1.6.0", status: .staged)]),
            "acme/prometheus": CatalogEntry(published: ["2.7.1", "2.8.0", "2.9.0"]),
            "acme/loki": CatalogEntry(published: ["3.0.0", "3.1.0"]),
            "acme/redis": CatalogEntry(published: ["7.0.15", "7.2.4"]),
            "acme/flaky": CatalogEntry(versions: ["0.1.0", "0.2.0"].map { CatalogVersion($0) } + [CatalogVersion(
                "0.3.0", status: .failed, errorMessage: "import_failed: the provider's entry point raised ImportError"
            )], broken: ["0.2.0"]),
            "acme/hand-made": CatalogEntry(published: ["1.0.0"]),
        ]
        world.agentImages = [
            "ghcr.io/acme/research-agent": AgentImage(
                agentCard: ["name": "Research", "description": "Finds and summarises sources.",
                            "skills": [["id": "research", "name": "Research a question",
                                        "description": "Answers a question from the sources it finds.",
                                        "tags": ["research"]]]],
                env: [ProviderRecord.EnvRequirement(name: "OPENAI_API_KEY", description: "Model access", required: true)]
            ),
        ]
        return world
    }()

    static func isSemanticVersion(_ text: String) -> Bool {
        let core = text.split(separator: "-", maxSplits: 1).first ?? ""
        let numbers = core.split(separator: ".", omittingEmptySubsequences: false)
        return numbers.count == 3 && numbers.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }
}
