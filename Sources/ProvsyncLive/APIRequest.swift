import Foundation

/// One call to either API, before it is turned into a `URLRequest`.
struct APIRequest: Sendable {
    enum Method: String, Sendable {
        case get = "GET", post = "POST", patch = "PATCH", put = "PUT", delete = "DELETE"
    }

    /// Which API, and so which base URL.
    enum API: Sendable {
        case store, agents
    }

    var method: Method
    var api: API
    /// Path segments, each percent-encoded on its own (`["providers", "installed", org, name]`).
    var segments: [String]
    var query: [(name: String, value: String)]
    /// The JSON body; never shown in any message.
    var body: Data?
    /// Names the object when the path does not (`acme/postgres` for an install, `(agent/<origin>)`).
    var subject: String?

    init(_ method: Method, _ api: API, _ segments: [String], query: [(name: String, value: String)] = [],
         body: Data? = nil, subject: String? = nil) {
        self.method = method
        self.api = api
        self.segments = segments
        self.query = query
        self.body = body
        self.subject = subject
    }

    /// Anything but GET changes state (preview is a POST the agent API treats as a write, too).
    var isWrite: Bool { method != .get }

    /// `/providers/installed/acme/postgres`, the path as the API documents it (no query).
    var path: String { "/" + segments.joined(separator: "/") }

    /// How messages name the request: `POST /providers/install acme/postgres`.
    var label: String {
        "\(method.rawValue) \(path)" + (subject.map { " \($0)" } ?? "")
    }

    /// The full URL under `base`, keeping any path prefix of the base.
    func url(base: URL) -> URL? {
        guard var components = URLComponents(url: base, resolvingAgainstBaseURL: false) else { return nil }
        let prefix = components.percentEncodedPath.hasSuffix("/")
            ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath
        components.percentEncodedPath = prefix + "/" + segments.map(Self.encodeSegment).joined(separator: "/")
        if !query.isEmpty {
            components.percentEncodedQuery = query.map { "\(Self.encodeQuery($0.name))=\(Self.encodeQuery($0.value))" }
                .joined(separator: "&")
        }
        return components.url
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )
    private static let segmentAllowed = unreserved.union(CharacterSet(charactersIn: "!$&'()*+,;=:@"))

    private static func encodeSegment(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: segmentAllowed) ?? segment
    }

    private static func encodeQuery(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}

/// A 2xx answer.
struct APIResponse: Sendable {
    var status: Int
    var body: Data
}
