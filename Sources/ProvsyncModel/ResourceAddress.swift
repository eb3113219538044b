/// The address of a managed object, used in output and by `--target`:
/// `installation/<org>/<name>` or `agent/<origin>`.
package enum ResourceAddress: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    case installation(providerName: String)
    case agent(origin: String)

    package var kind: ManifestKind {
        switch self {
        case .installation: .installation
        case .agent: .agentProvider
        }
    }

    package var description: String {
        switch self {
        case .installation(let providerName): "installation/\(providerName)"
        case .agent(let origin): "agent/\(origin)"
        }
    }

    /// Reads an address as printed by `description`; nil when the text names no kind.
    package init?(parsing text: String) {
        if text.hasPrefix("installation/") {
            let rest = String(text.dropFirst("installation/".count))
            guard !rest.isEmpty else { return nil }
            self = .installation(providerName: rest)
        } else if text.hasPrefix("agent/") {
            let rest = String(text.dropFirst("agent/".count))
            guard !rest.isEmpty else { return nil }
            self = .agent(origin: rest)
        } else {
            return nil
        }
    }

    package static func < (lhs: ResourceAddress, rhs: ResourceAddress) -> Bool {
        lhs.description < rhs.description
    }

    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let address = ResourceAddress(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "not a provsync address: \(text)"
            ))
        }
        self = address
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
