/// Where an agent provider runs from: a container image (a managed provider) or an http(s) URL
/// (an unmanaged network provider). Normalised the way the agent API normalises it, so that ids and
/// origins computed here match the server's.
package enum AgentLocation: Sendable, Hashable {
    case image(ImageReference)
    case url(String)

    /// Reads a manifest's `location`; the error explains what is wrong in a sentence.
    package static func parse(_ text: String) -> Result<AgentLocation, LocationSyntaxError> {
        if text.hasPrefix("http://") || text.hasPrefix("https://") {
            return NetworkLocation.parse(text).map { AgentLocation.url($0.normalized) }
        }
        if hasSchemeInAnyCase(text) {
            return .failure(LocationSyntaxError("\"\(text)\": write the URL scheme in lowercase (http:// or https://)"))
        }
        return ImageReference.parse(text).map(AgentLocation.image)
    }

    /// Whether `text` starts with http:// or https:// in some mix of cases (a byte check: most locations are
    /// images, read by the thousand).
    private static func hasSchemeInAnyCase(_ text: String) -> Bool {
        let lowered = text.utf8.prefix(8).map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
        return lowered.starts(with: "http://".utf8) || lowered.starts(with: "https://".utf8)
    }

    /// The location as the server stores it (`source`): `foo` becomes `docker.io/library/foo:latest`; a URL's
    /// host is lower-cased, its default port dropped and an empty path written `/`.
    package var normalized: String {
        switch self {
        case .image(let image): image.normalized
        case .url(let url): url
        }
    }

    /// The identity across versions: the image without tag or digest, or the URL.
    package var origin: String {
        switch self {
        case .image(let image): image.repositoryName
        case .url(let url): url
        }
    }

    /// True when the server rewrites the location by its own configuration (a loopback host becomes
    /// `host.docker.internal`, or the other way round with its local-network setting), so only the server
    /// can say what it stores: ask it (`by-location`) before pairing.
    package var dependsOnServerConfiguration: Bool {
        switch self {
        case .image: false
        case .url(let url): (try? NetworkLocation.parse(url).get())?.isLoopback ?? false
        }
    }
}

/// An http(s) location read the way the agent API reads it: the host lower-cased, the scheme's default port
/// dropped, an empty path written `/`; a non-empty path, the query and the fragment kept as written.
struct NetworkLocation: Sendable, Hashable {
    var scheme: String
    var host: String
    var port: String?
    /// From the first `/` after the authority, up to the query or fragment; `/` when there was none.
    var path: String
    /// Everything from `?` or `#` on, as written.
    var suffix: String

    /// Hosts the server rewrites by its configuration.
    static let loopbackHosts: Set<String> = ["localhost", "127.0.0.1", "host.docker.internal"]

    var isLoopback: Bool { Self.loopbackHosts.contains(host) }

    var normalized: String {
        "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "") + path + suffix
    }

    static func parse(_ text: String) -> Result<NetworkLocation, LocationSyntaxError> {
        let scheme = text.hasPrefix("https://") ? "https" : "http"
        let rest = text.dropFirst(scheme.count + 3)
        if text.contains(where: { $0.isWhitespace }) {
            return .failure(LocationSyntaxError("URL \"\(text)\" contains white space"))
        }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let afterAuthority = rest.dropFirst(authority.count)
        let pathPart = afterAuthority.prefix { $0 != "?" && $0 != "#" }
        let suffix = String(afterAuthority.dropFirst(pathPart.count))
        if authority.contains("@") {
            return .failure(LocationSyntaxError("URL \"\(text)\" holds credentials before its host; the agent API "
                                                + "would store and show them"))
        }
        var host = Substring(authority)
        var port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else {
                return .failure(LocationSyntaxError("URL \"\(text)\" has an unclosed [ in its host"))
            }
            let after = host[host.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return .failure(LocationSyntaxError("URL \"\(text)\" has a bad host")) }
                port = after.dropFirst()
            }
            host = host[...close]
        } else if let colon = host.lastIndex(of: ":") {
            port = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        if host.isEmpty {
            return .failure(LocationSyntaxError("URL \"\(text)\" has no host"))
        }
        var keptPort: String?
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let number = Int(port), number <= 65535 else {
                return .failure(LocationSyntaxError("URL \"\(text)\" has port \"\(port)\"; a port is a number up to 65535"))
            }
            keptPort = number == (scheme == "https" ? 443 : 80) ? nil : String(number)
        }
        return .success(NetworkLocation(scheme: scheme, host: host.lowercased(), port: keptPort,
                                        path: pathPart.isEmpty ? "/" : String(pathPart), suffix: suffix))
    }
}

/// Why a location could not be read.
package struct LocationSyntaxError: Error, Sendable, Hashable {
    package var message: String
    package init(_ message: String) { self.message = message }
}

/// A container image reference split into its parts, with the agent API's defaults filled in (`docker.io`,
/// `library/`, `:latest`); `index.docker.io` is a registry of its own, as the API treats it.
package struct ImageReference: Sendable, Hashable {
    /// The registry host (and port), `docker.io` when none is written.
    package var registry: String
    /// The path inside the registry; `library/` is added for single-name Docker Hub images.
    package var path: String
    package var tag: String?
    package var digest: String?

    /// `registry/path`, the image without tag or digest.
    package var repositoryName: String { "\(registry)/\(path)" }

    /// `registry/path:tag@digest`, with `:latest` when no tag is written (a digest always comes with a tag).
    package var normalized: String {
        repositoryName + ":\(tag ?? "latest")" + (digest.map { "@\($0)" } ?? "")
    }

    /// Reads an image reference the way the agent API does, refusing what the API would misread: a registry is
    /// the first part only when it holds a dot (`localhost:5000/x` would be the docker.io repository
    /// `library/localhost`), nothing is lower-cased (an upper-case name is not found), and a digest without a
    /// tag is parsed wrongly.
    package static func parse(_ text: String) -> Result<ImageReference, LocationSyntaxError> {
        func failure(_ why: String) -> Result<ImageReference, LocationSyntaxError> {
            .failure(LocationSyntaxError("\"\(text)\" is not an image reference or http(s) URL: \(why)"))
        }
        func unusable(_ why: String) -> Result<ImageReference, LocationSyntaxError> {
            .failure(LocationSyntaxError("\"\(text)\": \(why)"))
        }
        if text.isEmpty { return failure("it is empty") }
        if text.utf8.count > 255 && text.count > 255 { return failure("it is longer than 255 characters") }
        // Separators are found among the UTF-8 bytes (their indices are the string's): a search by Character
        // would break graphemes for nothing, the separators being ASCII.
        var name = Substring(text)
        var digest: String?
        if let at = name.utf8.firstIndex(of: UInt8(ascii: "@")) {
            let digestText = name[name.index(after: at)...]
            guard isValidDigest(digestText) else { return failure("the digest must look like sha256:<hex>") }
            digest = String(digestText)
            name = name[..<at]
        }
        var tag: String?
        let lastSlash = name.utf8.lastIndex(of: UInt8(ascii: "/"))
        if let colon = name.utf8.lastIndex(of: UInt8(ascii: ":")), lastSlash.map({ colon > $0 }) ?? true {
            let tagText = name[name.index(after: colon)...]
            guard isValidTag(tagText) else {
                return failure("the tag may hold letters, digits, '_', '.' and '-' (at most 128)")
            }
            tag = String(tagText)
            name = name[..<colon]
        }
        var components = name.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map(Substring.init)
        var registry = "docker.io"
        if components.count > 1, let first = components.first {
            if first.utf8.contains(dot) {
                guard isValidHost(first) else { return failure("\"\(first)\" is not a registry host") }
                guard !hasUppercase(first) else {
                    return unusable("the agent API does not lower-case the registry \"\(first)\", and no registry "
                                    + "answers under that name; write it in lower case")
                }
                registry = String(first)
                components.removeFirst()
            } else if first.contains(":") || first == "localhost" {
                let host = first.prefix { $0 != ":" }
                let read = first.contains(":")
                    ? "the Docker Hub repository library/\(host) with the tag \(text.dropFirst(host.count + 1))"
                    : "the Docker Hub image docker.io/\(text)"
                let port = first.contains(":") ? first.drop { $0 != ":" } : ""
                return unusable("the agent API takes the first part for a registry only when it holds a dot, so it "
                                + "reads this as \(read), which it cannot resolve; name the registry with a dot "
                                + "(a registry on this machine as 127.0.0.1\(port)/…)")
            }
        }
        if components.contains(where: hasUppercase) {
            return unusable("the agent API does not lower-case image names, and the registry has no repository "
                            + "\"\(components.joined(separator: "/"))\"; write it in lower case")
        }
        guard !components.isEmpty, components.allSatisfy(isValidPathComponent) else {
            return failure("each path part must be lowercase letters and digits, separated by '.', '_' or '-'")
        }
        if digest != nil && tag == nil {
            return unusable("the agent API misreads a digest without a tag (it takes the digest's hex for the tag) and "
                            + "cannot resolve it; add the tag: \(text.prefix { $0 != "@" }):<tag>@\(digest ?? "")")
        }
        if (registry == "docker.io" || registry == "index.docker.io") && components.count == 1 {
            components.insert("library", at: 0)
        }
        let path = components.joined(separator: "/")
        return .success(ImageReference(registry: registry, path: path, tag: tag, digest: digest))
    }

    // The checks below look at UTF-8 bytes: every character they accept is ASCII, and a scan of Characters
    // (grapheme breaking, Unicode properties) made image parsing a tenth of reading 10,000 manifests.

    private static func isValidPathComponent(_ part: Substring) -> Bool {
        let bytes = part.utf8
        guard let first = bytes.first, let last = bytes.last,
              isLowerAlphanumeric(first), isLowerAlphanumeric(last) else { return false }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == dot || $0 == underscore || $0 == hyphen }
    }

    private static func isValidTag(_ tag: Substring) -> Bool {
        let bytes = tag.utf8
        guard let first = bytes.first, bytes.count <= 128, first != dot, first != hyphen else { return false }
        return bytes.allSatisfy { isASCIIAlphanumeric($0) || $0 == underscore || $0 == dot || $0 == hyphen }
    }

    private static func isValidDigest(_ digest: Substring) -> Bool {
        guard let colon = digest.firstIndex(of: ":") else { return false }
        let algorithm = digest[..<colon].utf8
        let hex = digest[digest.index(after: colon)...].utf8
        return !algorithm.isEmpty
            && algorithm.allSatisfy { isLowerAlphanumeric($0) || $0 == plus || $0 == dot || $0 == underscore || $0 == hyphen }
            && hex.count >= 32 && hex.allSatisfy(isHexDigit)
    }

    private static func isValidHost(_ host: Substring) -> Bool {
        let parts = host.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let name = parts.first, !name.isEmpty,
              name.utf8.allSatisfy({ isASCIIAlphanumeric($0) || $0 == dot || $0 == hyphen }) else { return false }
        if parts.count == 2 {
            return !parts[1].isEmpty && parts[1].utf8.allSatisfy(isDigit)
        }
        return true
    }

    /// Whether `text` holds an ASCII upper-case letter (the only upper case the checks above would let through).
    private static func hasUppercase(_ text: Substring) -> Bool {
        text.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }

    private static let dot = UInt8(ascii: "."), underscore = UInt8(ascii: "_"), hyphen = UInt8(ascii: "-"),
                       plus = UInt8(ascii: "+")

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || isDigit(byte)
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
