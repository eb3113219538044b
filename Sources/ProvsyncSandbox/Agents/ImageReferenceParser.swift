/// A docker image location as agentstack-server 0.4.2 splits it, mis-parses included: the registry is the part
/// before the first `/` only when it holds a dot (else `docker.io`, with `library/` added to a one-part name),
/// the tag follows the first `:` (default `latest`) and the digest an `@` inside the tag. Nothing is lower-cased.
struct ImageReference: Sendable, Hashable {
    var registry: String
    var repository: String
    var tag: String
    var digest: String?

    init(_ location: String) {
        var rest = Substring(location)
        registry = "docker.io"
        if let slash = rest.firstIndex(of: "/"), rest[..<slash].contains(".") {
            registry = String(rest[..<slash])
            rest = rest[rest.index(after: slash)...]
        }
        tag = "latest"
        digest = nil
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
        repository = String(rest)
        if registry == "docker.io" || registry == "index.docker.io", !repository.contains("/") {
            repository = "library/" + repository
        }
    }

    /// `{registry}/{repository}:{tag}[@digest]`: the provider's `source`.
    var source: String { "\(registry)/\(repository):\(tag)" + (digest.map { "@\($0)" } ?? "") }

    /// `{registry}/{repository}`: the provider's derived `origin`.
    var origin: String { "\(registry)/\(repository)" }

    /// What the manifest is fetched by: the digest when one is given, else the tag.
    var manifestReference: String { digest ?? tag }

    /// The URL the server GETs the manifest from (docker.io is served by `registry-1.docker.io`).
    var manifestURL: String {
        let host = registry == "docker.io" ? "registry-1.docker.io" : registry
        return "https://\(host)/v2/\(repository)/manifests/\(manifestReference)"
    }
}

/// The OCI distribution grammar a registry routes requests by: a request whose repository or reference does
/// not match it is not routed at all (the registry's plain `404 page not found`).
enum DistributionGrammar {
    /// A registry host the sandbox can reach: lower-case host name characters and an optional numeric port.
    /// An upper-case name (`Registry.Test:5000`) does not resolve, as the recording shows.
    static func isReachableRegistry(_ registry: String) -> Bool {
        let parts = registry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let host = parts.first, !host.isEmpty,
              host.allSatisfy({ isLowerAlphanumeric($0) || $0 == "." || $0 == "-" })
        else { return false }
        guard parts.count == 2 else { return true }
        return !parts[1].isEmpty && parts[1].allSatisfy { $0.asciiValue.map { (48...57).contains($0) } ?? false }
    }

    /// Path components of lower-case letters and digits, joined by `.`, `_`, `__` or runs of `-`.
    static func isRepository(_ repository: String) -> Bool {
        let components = repository.split(separator: "/", omittingEmptySubsequences: false)
        return components.allSatisfy(isNameComponent)
    }

    /// `[\w][\w.-]{0,127}`.
    static func isTag(_ tag: String) -> Bool {
        guard let first = tag.first, isWord(first), tag.count <= 128 else { return false }
        return tag.allSatisfy { isWord($0) || $0 == "." || $0 == "-" }
    }

    /// `algorithm:hex` with at least 32 hex digits; the algorithm is letter-led parts joined by `-_+.`.
    static func isDigest(_ digest: String) -> Bool {
        guard let colon = digest.firstIndex(of: ":") else { return false }
        let algorithm = digest[..<colon]
        let hex = digest[digest.index(after: colon)...]
        guard hex.count >= 32, hex.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return false }
        let parts = algorithm.split(omittingEmptySubsequences: false) { "-_+.".contains($0) }
        return parts.allSatisfy { part in
            guard let first = part.first, first.isASCII, first.isLetter else { return false }
            return part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }

    private static func isNameComponent(_ component: Substring) -> Bool {
        var index = component.startIndex
        func alphanumericRun() -> Bool {
            let start = index
            while index < component.endIndex, isLowerAlphanumeric(component[index]) { index = component.index(after: index) }
            return index > start
        }
        guard alphanumericRun() else { return false }
        while index < component.endIndex {
            let separatorStart = index
            while index < component.endIndex, !isLowerAlphanumeric(component[index]) { index = component.index(after: index) }
            let separator = component[separatorStart..<index]
            guard separator == "." || separator == "_" || separator == "__" || separator.allSatisfy({ $0 == "-" }),
                  alphanumericRun() else { return false }
        }
        return true
    }

    private static func isLowerAlphanumeric(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (97...122).contains(ascii) || (48...57).contains(ascii)
    }

    private static func isWord(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_")
    }
}
