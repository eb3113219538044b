import Foundation
import ProvsyncModel

/// One call to either API, before it is turned into an `HTTPMessage`.
struct APIRequest: Sendable {
    enum Method: String, Sendable {
        case get = "GET", post = "POST", patch = "PATCH", put = "PUT", delete = "DELETE"
    }

    var method: Method
    /// Which API, and so which base URL and credentials.
    var api: ProviderAPI
    /// Path segments, each percent-encoded on its own (`["providers", "installed", org, name]`).
    var segments: [String]
    var query: [(name: String, value: String)]
    /// The JSON body; never shown in any message.
    var body: Data?
    /// Names the object when the path does not (`acme/postgres` for an install, `(agent/<origin>)`).
    var subject: String?

    init(_ method: Method, _ api: ProviderAPI, _ segments: [String], query: [(name: String, value: String)] = [],
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

    /// RFC 3986 unreserved characters: never encoded.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Characters a path segment may hold as they are: unreserved, sub-delimiters, `:` and `@`.
    private static func isSegmentCharacter(_ byte: UInt8) -> Bool {
        isUnreserved(byte) || "!$&'()*+,;=:@".utf8.contains(byte)
    }

    private static func encodeSegment(_ segment: String) -> String {
        percentEncode(segment, keeping: isSegmentCharacter)
    }

    private static func encodeQuery(_ text: String) -> String {
        percentEncode(text, keeping: isUnreserved)
    }

    /// `text` with every UTF-8 byte outside `keeping` written as `%XX`; unchanged when nothing needs it.
    static func percentEncode(_ text: String, keeping: (UInt8) -> Bool) -> String {
        if text.utf8.allSatisfy(keeping) { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if keeping(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A 2xx answer.
struct APIResponse: Sendable {
    var status: Int
    var body: Data
}
