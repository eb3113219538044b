import Foundation

/// The network agents the sandbox pretends to reach: the card each serves, keyed by its base URL (a
/// location after the sandbox's normalisation, without query and fragment), and which are stopped; and the
/// images its registries serve.
struct AgentNetwork: Sendable {
    var cards: [String: [String: SandboxJSON]] = [:]
    var stopped: Set<String> = []
    /// When true (the built-in world, no cards configured), every agent is reachable and serves a default card.
    var open = true
    var localNetwork = false
    /// The images the registries serve (`--images`). nil: every image exists while the network is `open`
    /// (the built-in world's images, others with a default card), and no registry is reachable otherwise.
    var images: ImageCatalog?

    /// The card the agent at `location` serves, or nil when it is unreachable or stopped.
    func card(for location: NormalizedLocation) -> [String: SandboxJSON]? {
        let base = location.agentBase
        guard !stopped.contains(base) else { return nil }
        if let card = cards[base] { return card }
        return open ? AgentCardNormalizer.defaultCard(source: location.source, origin: location.origin) : nil
    }

    /// Resolves the image `reference` names, as the server's registry calls do: from `images` when configured,
    /// else from `builtIn` (keyed by origin, any tag) or a default card while the network is open.
    func resolve(_ reference: ImageReference, builtIn: [String: AgentImage]) -> Result<ResolvedImage, ImageResolutionFailure> {
        if let images { return images.resolve(reference) }
        guard open else { return .failure(ImageResolutionFailure("All connection attempts failed")) }
        let image = builtIn[reference.origin]
        let fallback = AgentCardNormalizer.defaultCard(source: reference.source, origin: reference.origin)
        return .success(ResolvedImage(
            digest: reference.digest ?? ImageCatalog.placeholderDigest(reference.source),
            label: .card(fallback.merging(image?.agentCard ?? [:]) { _, label in label }), env: image?.env ?? []
        ))
    }

    /// Adds or replaces cards from a JSON object `{base URL: card}`; throws on any other shape.
    mutating func add(_ json: SandboxJSON) throws {
        guard let object = json.objectValue else { throw SandboxError("agent cards must be a JSON object") }
        for (url, card) in object {
            guard let card = card.objectValue,
                  let location = NormalizedLocation(url, localNetwork: localNetwork), location.isNetwork else {
                throw SandboxError("agent card for \(url): expected an http(s) URL mapped to a card object")
            }
            cards[location.agentBase] = card
            open = false
        }
    }

    /// Stops or starts the agent at `url`; false when the URL is not an http(s) location.
    mutating func set(_ url: String, online: Bool) -> Bool {
        guard let location = NormalizedLocation(url, localNetwork: localNetwork), location.isNetwork else { return false }
        if online { stopped.remove(location.agentBase) } else { stopped.insert(location.agentBase) }
        return true
    }

    static func load(_ configuration: SandboxConfiguration) throws -> AgentNetwork {
        var network = AgentNetwork(localNetwork: configuration.localNetwork)
        if let path = configuration.agentCardsFile {
            guard let data = FileManager.default.contents(atPath: path), let json = SandboxJSON.parse(data) else {
                throw SandboxError("cannot read agent cards (a JSON object from base URL to card) from \(path)")
            }
            try network.add(json)
        }
        if let data = configuration.agentCards {
            guard let json = SandboxJSON.parse(data) else { throw SandboxError("agent cards are not JSON") }
            try network.add(json)
            network.open = false
        }
        if let path = configuration.imagesFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SandboxError("cannot read images (\(ImageCatalog.shape)) from \(path)")
            }
            network.images = try ImageCatalog(json: data, from: path)
        }
        if let data = configuration.images {
            var catalog = network.images ?? ImageCatalog()
            catalog.images.merge(try ImageCatalog(json: data, from: "images").images) { _, given in given }
            network.images = catalog
        }
        return network
    }
}
