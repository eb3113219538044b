import Foundation

/// The agent API's reading of a provider location: an http(s) URL (unmanaged network provider) or, for any
/// other string, a docker image reference (managed), normalised as agentstack-server 0.4.2 does.
struct NormalizedLocation: Sendable, Hashable {
    var source: String
    var origin: String
    var isNetwork: Bool
    /// The image reference of a managed provider's location; nil for a network one.
    var image: ImageReference?

    /// nil when the location is not accepted at all (422): an empty string or a URL without a host.
    init?(_ location: String, localNetwork: Bool = false) {
        if location.hasPrefix("http://") || location.hasPrefix("https://") {
            guard let source = Self.networkSource(location, localNetwork: localNetwork) else { return nil }
            self.source = source
            origin = source
            isNetwork = true
            image = nil
            return
        }
        guard !location.isEmpty else { return nil }
        let image = ImageReference(location)
        source = image.source
        origin = image.origin
        isNetwork = false
        self.image = image
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
}
