/// The address of a managed object, used in output and by `--target`: the kind's prefix and the object's
/// name within its kind (`installation/<org>/<name>`, `agent/<origin>`).
package struct ResourceAddress: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    package var kind: ManifestKind
    /// `org/name` for installations, the origin for agent providers.
    package var name: String

    package init(kind: ManifestKind, name: String) {
        self.kind = kind
        self.name = name
    }

    package static func installation(providerName: String) -> ResourceAddress {
        ResourceAddress(kind: .installation, name: providerName)
    }

    package static func agent(origin: String) -> ResourceAddress {
        ResourceAddress(kind: .agentProvider, name: origin)
    }

    package var description: String { "\(kind.addressPrefix)/\(name)" }

    /// Reads an address as printed by `description`; nil when the text names no kind or no object.
    package init?(parsing text: String) {
        for kind in ManifestKind.allCases where text.hasPrefix(kind.addressPrefix + "/") {
            let rest = String(text.dropFirst(kind.addressPrefix.count + 1))
            guard !rest.isEmpty else { return nil }
            self.init(kind: kind, name: rest)
            return
        }
        return nil
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

/// Address patterns of `--target`, `--ignore` and `prune:`: an address, or a prefix ending in `*`.
package enum AddressPattern {
    package static func matches(_ pattern: String, _ address: ResourceAddress) -> Bool {
        let text = address.description
        return pattern.hasSuffix("*") ? text.hasPrefix(pattern.dropLast()) : text == pattern
    }
}
