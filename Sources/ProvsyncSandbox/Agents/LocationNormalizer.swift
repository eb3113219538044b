import Foundation

/// The agent API's reading of a provider location: a docker image (managed) or an http(s) URL
/// (unmanaged network provider), normalised, with the origin that identifies the agent across versions.
struct NormalizedLocation: Sendable, Hashable {
    var source: String
    var origin: String
    var isNetwork: Bool

    /// nil when the location is neither a valid image reference nor a URL.
    init?(_ location: String) {
        let trimmed = location.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") {
            let afterScheme = trimmed.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
            guard afterScheme.count >= 3, !afterScheme[2].isEmpty else { return nil }
            let hasPath = afterScheme[2].contains("/")
            source = hasPath ? trimmed : trimmed + "/"
            origin = source
            isNetwork = true
            return
        }
        guard !trimmed.isEmpty, !trimmed.contains(" ") else { return nil }
        var name = Substring(trimmed)
        var suffix = ""
        if let at = name.firstIndex(of: "@") {
            suffix = String(name[at...])
            name = name[..<at]
        }
        if let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") {
            suffix = String(name[colon...]) + suffix
            name = name[..<colon]
        }
        if suffix.isEmpty { suffix = ":latest" }
        var parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else { return nil }
        if parts.count == 1 || !(parts[0].contains(".") || parts[0].contains(":") || parts[0] == "localhost") {
            parts.insert("docker.io", at: 0)
        }
        if parts[0] == "index.docker.io" { parts[0] = "docker.io" }
        if parts[0] == "docker.io" && parts.count == 2 { parts.insert("library", at: 1) }
        guard parts.dropFirst().allSatisfy({ $0 == $0.lowercased() }) else { return nil }
        origin = parts.joined(separator: "/")
        source = origin + suffix
        isNetwork = false
    }

    /// The provider id: the UUID of the first 16 bytes of sha256(source).
    var id: String { ProviderID.uuid(of: source) }
}
