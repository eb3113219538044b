import Foundation
import ProvsyncModel

/// The base URLs of the two provider APIs, keyed by API: the store API (paths at its root) and the agent API
/// (paths under `/api/v1`).
package struct APIEndpoints: Sendable, Hashable, CustomStringConvertible {
    package var storeURL: URL
    package var agentsURL: URL

    package init(storeURL: URL, agentsURL: URL) {
        self.storeURL = storeURL
        self.agentsURL = agentsURL
    }

    /// The base URL of `api`.
    package func url(for api: ProviderAPI) -> URL {
        switch api {
        case .store: storeURL
        case .agents: agentsURL
        }
    }

    /// Both APIs behind one base URL.
    package init(apiURL: URL) {
        self.init(storeURL: apiURL, agentsURL: apiURL)
    }

    package var description: String {
        storeURL == agentsURL ? "\(storeURL.absoluteString)" : "store \(storeURL.absoluteString), agents \(agentsURL.absoluteString)"
    }

    /// Builds the endpoints from `--api-url` (both APIs), `--store-url` and `--agents-url` (one each); the
    /// more specific option wins.
    package static func resolve(apiURL: String?, storeURL: String?, agentsURL: String?)
        throws(EndpointError) -> APIEndpoints {
        let api = try apiURL.map { text throws(EndpointError) in try parse(text, option: "--api-url") }
        let store = try storeURL.map { text throws(EndpointError) in try parse(text, option: "--store-url") } ?? api
        let agents = try agentsURL.map { text throws(EndpointError) in try parse(text, option: "--agents-url") } ?? api
        switch (store, agents) {
        case let (store?, agents?):
            return APIEndpoints(storeURL: store, agentsURL: agents)
        case (nil, nil):
            throw EndpointError("no API URL given: pass --api-url (or --store-url and --agents-url), "
                                + "set `api` in provsync.yaml, or use --sandbox")
        case (nil, _?):
            throw EndpointError("no URL for the store API: pass --store-url or --api-url")
        case (_?, nil):
            throw EndpointError("no URL for the agent API: pass --agents-url or --api-url")
        }
    }

    /// An absolute http(s) URL with a host and no query or fragment; a trailing `/` is dropped.
    static func parse(_ text: String, option: String) throws(EndpointError) -> URL {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let shown = redacted(trimmed)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else {
            throw EndpointError("\(option) \"\(shown)\" is not an http(s) URL (e.g. https://api.example.com)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw EndpointError("\(option) \"\(shown)\" has no host")
        }
        guard components.user == nil, components.password == nil else {
            throw EndpointError("\(option) must not carry credentials: they come from PROVSYNC_TOKEN "
                                + "or PROVSYNC_USERNAME/PROVSYNC_PASSWORD")
        }
        guard components.query == nil, components.fragment == nil else {
            throw EndpointError("\(option) \"\(shown)\" must not carry a query or a fragment")
        }
        var cleaned = components
        while cleaned.path.hasSuffix("/") {
            cleaned.path.removeLast()
        }
        guard let url = cleaned.url else {
            throw EndpointError("\(option) \"\(shown)\" is not a valid URL")
        }
        return url
    }

    /// The text as an error may show it: anything that looks like `user:password@` before the host, and
    /// any query or fragment (which may carry a token), replaced.
    private static func redacted(_ text: String) -> String {
        var shown = text
        if let start = shown.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            shown = String(shown[..<start]) + String(shown[start]) + "***"
        }
        guard let schemeEnd = shown.range(of: "://") else { return shown }
        let authorityEnd = shown[schemeEnd.upperBound...].firstIndex { "/?#".contains($0) } ?? shown.endIndex
        guard let at = shown[schemeEnd.upperBound..<authorityEnd].lastIndex(of: "@") else { return shown }
        return String(shown[..<schemeEnd.upperBound]) + "***" + String(shown[at...])
    }
}

/// A missing or malformed API URL.
package struct EndpointError: Error, Sendable, Hashable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
