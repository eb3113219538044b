import Foundation

/// The agent API's reading of a provider location: an http(s) URL (unmanaged network provider) or, for any
/// other string, a docker image reference (managed), normalised as agentstack-server 0.4.2 does.
struct NormalizedLocation: Sendable, Hashable {
    var source: String
    var origin: String
    var isNetwork: Bool

    /// nil when the location is not accepted at all (422): an empty string or a URL without a host.
    init?(_ location: String, localNetwork: Bool = false) {
        if location.hasPrefix("http://") || location.hasPrefix("https://") {
            guard let source = Self.networkSource(location, localNetwork: localNetwork) else { return nil }
            self.source = source
            origin = source
            isNetwork = true
            return
        }
        guard !location.isEmpty else { return nil }
        let image = Self.imageParts(location)
        source = "\(image.registry)/\(image.repository):\(image.tag)" + (image.digest.map { "@\($0)" } ?? "")
        origin = "\(image.registry)/\(image.repository)"
        isNetwork = false
    }

    /// The provider id: the UUID of the first 16 bytes of sha256(source).
    var id: String { ProviderID.uuid(of: source) }

    /// Where a network agent's card is fetched from: the source without its query and fragment.
    var agentBase: String {
        guard let cut = source.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return source }
        return String(source[..<cut])
    }

    /// Host lower-cased, default port dropped, empty path made `/`, loopback names mapped.
    private static func networkSource(_ location: String, localNetwork: Bool) -> String? {
        let scheme = location.hasPrefix("https://") ? "https" : "http"
        let rest = location.dropFirst(scheme.count + 3)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        var tail = String(rest[authorityEnd...])
        if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
        var host = authority
        var port: String?
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            host = String(authority[..<colon])
            port = String(authority[authority.index(after: colon)...])
        }
        host = host.lowercased()
        guard !host.isEmpty else { return nil }
        if let digits = port {
            guard digits.isEmpty || (digits.allSatisfy(\.isNumber) && (Int(digits) ?? 70000) <= 65535) else { return nil }
            if digits.isEmpty || (scheme == "http" && Int(digits) == 80) || (scheme == "https" && Int(digits) == 443) {
                port = nil
            }
        }
        if localNetwork {
            if host == "host.docker.internal" { host = "localhost" }
        } else if host == "127.0.0.1" || host == "localhost" {
            host = "host.docker.internal"
        }
        if !tail.hasPrefix("/") { tail = "/" + tail }
        return "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "") + tail
    }

    /// Registry (the part before the first `/`, only if it has a dot), repository, tag (after the first `:`)
    /// and digest (after `@` in the tag), as the server splits them, mis-parses included.
    static func imageParts(_ location: String) -> (registry: String, repository: String, tag: String, digest: String?) {
        var rest = Substring(location)
        var registry = "docker.io"
        if let slash = rest.firstIndex(of: "/"), rest[..<slash].contains(".") {
            registry = String(rest[..<slash])
            rest = rest[rest.index(after: slash)...]
        }
        var tag = "latest"
        var digest: String?
        if let colon = rest.firstIndex(of: ":") {
            var tagPart = rest[rest.index(after: colon)...]
            rest = rest[..<colon]
            if let at = tagPart.firstIndex(of: "@") {
                digest = String(tagPart[tagPart.index(after: at)...])
                tagPart = tagPart[..<at]
            }
            tag = String(tagPart)
        } else if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        var repository = String(rest)
        if registry == "docker.io" || registry == "index.docker.io", !repository.contains("/") {
            repository = "library/" + repository
        }
        return (registry, repository, tag, digest)
    }
}
