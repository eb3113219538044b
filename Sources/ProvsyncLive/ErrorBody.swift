import Foundation
import ProvsyncModel

/// Renders an error answer's body as one line, for every form the APIs use:
/// `{"detail": "msg"}`, `{"detail": {"message": "msg"}}`, `{"message": "msg"}`, the 422 list
/// `{"detail": [{"loc": ["body", "field"], "msg": "..."}]}`, and bodies that are not JSON at all. Every message is
/// shortened: an API (or a proxy) may echo a whole request into its answer. The command line hides secrets
/// and escapes control characters when it prints it.
enum ErrorBody {
    /// Longest message kept, in characters; a longer one is cut there and ends with `…`.
    static let maxRawLength = 300

    static func message(from data: Data, status: Int) -> String {
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return reasonPhrase(status) }
        if let json = try? JSONParser.parse(data), let message = message(from: json) {
            return shortened(oneLine(message))
        }
        let readable = text.hasPrefix("<") ? text.replacing(#/<[^>]*>/#, with: " ") : text
        return shortened(oneLine(readable))
    }

    /// The message of a JSON error body; nil when the body has no known form.
    static func message(from json: JSONValue) -> String? {
        guard case .object(let object) = json else { return nil }
        switch object["detail"] {
        case .string(let detail)?:
            return detail
        case .object(let detail)?:
            if case .string(let message)? = detail["message"] { return message }
            if case .string(let message)? = detail["detail"] { return message }
        case .array(let issues)?:
            let rendered = issues.compactMap(validationIssue)
            if !rendered.isEmpty { return rendered.joined(separator: "; ") }
        default:
            break
        }
        if case .string(let message)? = object["message"] { return message }
        if case .object(let error)? = object["error"], case .string(let message)? = error["message"] { return message }
        if case .string(let message)? = object["error"] { return message }
        return nil
    }

    /// `body.field: msg` for one pydantic validation issue; the `input` (which may hold secrets) is left out.
    private static func validationIssue(_ issue: JSONValue) -> String? {
        switch issue {
        case .string(let text):
            return text
        case .object(let fields):
            guard case .string(let msg)? = fields["msg"] else { return nil }
            guard case .array(let parts)? = fields["loc"], !parts.isEmpty else { return msg }
            let location = parts.map { part -> String in
                switch part {
                case .string(let key): key
                case .integer(let index): String(index)
                default: "?"
                }
            }.joined(separator: ".")
            return "\(location): \(msg)"
        default:
            return nil
        }
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isNewline || $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    private static func shortened(_ text: String) -> String {
        text.count <= maxRawLength ? text : String(text.prefix(maxRawLength)) + "…"
    }

    /// A short reason phrase for a status whose answer had no body.
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 409: "Conflict"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "HTTP \(status) with an empty body"
        }
    }
}
