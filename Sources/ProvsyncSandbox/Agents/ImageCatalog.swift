import Crypto
import Foundation

/// The images the sandbox's registries serve (`--images`), keyed by `repository:tag`. Every registry name that
/// resolves (lower-case: docker.io, ghcr.io, registry.test:5000, …) serves the same catalog.
struct ImageCatalog: Sendable, Hashable {
    var images: [String: CatalogImage] = [:]

    static let shape = #"a JSON object from "repository:tag" to {"digest": "sha256:…", "card": {…} or null}"#

    /// Reads the catalog from JSON in the shape of a recording's `fixtures.images`.
    init(json data: Data, from origin: String) throws {
        let text = String(decoding: data, as: UTF8.self)
        guard let json = SandboxJSON.parse(data) else {
            let problem = JSONErrorLocator.locate(text).map { ": \($0.message) at character \($0.offset)" } ?? ""
            throw SandboxError("\(origin) is not JSON\(problem); expected \(Self.shape)")
        }
        guard let object = json.objectValue else { throw SandboxError("\(origin): expected \(Self.shape)") }
        for (key, value) in object {
            images[key] = try CatalogImage(key: key, json: value, origin: origin)
        }
    }

    init() {}

    /// The image `reference` names, as the server's registry calls find it; the failure is the reason the
    /// server words after `Failed to resolve version for '…': `.
    func resolve(_ reference: ImageReference) -> Result<ResolvedImage, ImageResolutionFailure> {
        guard DistributionGrammar.isReachableRegistry(reference.registry) else {
            return .failure(ImageResolutionFailure(
                "Image registry does not exist or is not accessible: \(reference.manifestURL)"))
        }
        let manifest = reference.manifestReference
        let byDigest = DistributionGrammar.isDigest(manifest)
        guard DistributionGrammar.isRepository(reference.repository),
              byDigest || DistributionGrammar.isTag(manifest) else {
            // Not a route of the registry: it answers its plain-text 404.
            return .failure(ImageResolutionFailure("Failed to get manifest: 404, 404 page not found\n"))
        }
        if byDigest {
            // A manifest of this repository under any tag: the registry does not check the tag then.
            let match = images.sorted { $0.key < $1.key }.first { key, image in
                Self.repository(of: key) == reference.repository
                    && (image.digest == manifest || image.manifestDigests.contains(manifest))
            }
            if let image = match?.value {
                return .success(ResolvedImage(digest: manifest, label: image.label, env: []))
            }
            return .failure(Self.manifestUnknown(["Name": .string(reference.repository), "Revision": .string(manifest)]))
        }
        guard let image = images["\(reference.repository):\(manifest)"] else {
            return .failure(Self.manifestUnknown(["Tag": .string(manifest)]))
        }
        return .success(ResolvedImage(digest: image.digest, label: image.label, env: []))
    }

    /// A made-up digest for an image of the open world (no catalog): the SHA-256 of its source.
    static func placeholderDigest(_ source: String) -> String {
        "sha256:" + SHA256.hash(data: Array(source.utf8)).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// The distribution registry's answer to an unknown manifest, as the server quotes it (its keys in the
    /// registry's order, so not written by the sorting JSON writer).
    private static func manifestUnknown(_ detail: SandboxJSON) -> ImageResolutionFailure {
        let body = #"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":"#
            + String(decoding: JSONWriter.bytes(detail), as: UTF8.self) + "}]}\n"
        return ImageResolutionFailure("Failed to get manifest: 404, " + body)
    }

    private static func repository(of key: String) -> Substring {
        key.lastIndex(of: ":").map { key[..<$0] } ?? Substring(key)
    }
}

/// One catalog image: the digest the registry answers with and the card label of its config.
struct CatalogImage: Sendable, Hashable {
    var digest: String
    /// The manifests an image index lists: fetched by digest, each is found too (and is the digest answered).
    var manifestDigests: [String]
    var label: ImageLabel

    init(key: String, json: SandboxJSON, origin: String) throws {
        let context = "\(origin): image \(String(decoding: JSONWriter.bytes(.string(key)), as: UTF8.self))"
        guard let colon = key.lastIndex(of: ":"), colon != key.startIndex, key.index(after: colon) != key.endIndex,
              !key[key.index(after: colon)...].contains("/") else {
            throw SandboxError("\(context): the key must be \"repository:tag\"")
        }
        guard let object = json.objectValue else {
            throw SandboxError("\(context): expected an object with \"digest\" and \"card\"")
        }
        guard let digest = object["digest"]?.stringValue, DistributionGrammar.isDigest(digest) else {
            throw SandboxError("\(context): \"digest\" must be a digest string such as \"sha256:<64 hex digits>\"")
        }
        self.digest = digest
        for (field, expected) in [("repository", String(key[..<colon])), ("tag", String(key[key.index(after: colon)...]))] {
            if let value = object[field], value != .string(expected) {
                throw SandboxError("\(context): \"\(field)\" must be \(expected) as in the key, or left out")
            }
        }
        manifestDigests = []
        if let platform = object["platform_manifest_digest"], platform != .null {
            guard let text = platform.stringValue, DistributionGrammar.isDigest(text) else {
                throw SandboxError("\(context): \"platform_manifest_digest\" must be a digest string")
            }
            manifestDigests = [text]
        }
        switch (object["card"] ?? .null, object["label_raw"] ?? .null) {
        case (.object(let card), .null): label = .card(card)
        case (.null, .string(let text)): label = .raw(text)
        case (.null, .null): label = .missing
        case (.object, _): throw SandboxError("\(context): give \"card\" or \"label_raw\", not both")
        default:
            throw SandboxError("\(context): \"card\" must be an object or null, \"label_raw\" a string or null")
        }
    }
}

/// What resolving an image gives: the digest the registry answered and the image's card label.
struct ResolvedImage: Sendable, Hashable {
    var digest: String
    var label: ImageLabel
    /// Variables the image declares besides its card's agent-detail extension (built-in images only).
    var env: [ProviderRecord.EnvRequirement]
}

/// Why an image did not resolve, in the server's words.
struct ImageResolutionFailure: Error, Sendable, Hashable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// What the sandbox knows of an image of its built-in world (no `--images`): the card its label holds and
/// the variables it needs. Keyed by origin in `SandboxWorld.agentImages`, so every tag serves it.
struct AgentImage: Sendable, Codable, Hashable {
    var agentCard: [String: SandboxJSON]?
    var env: [ProviderRecord.EnvRequirement]
}
