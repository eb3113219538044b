import CCurl
import Foundation
import ProvsyncModel

/// The HTTP layer on libcurl's multi interface (see `CurlEventLoop`), and the translation of a single attempt
/// into an `APIResponse` or an `APIError`. Redirects are not followed, so the `Authorization` header never
/// travels to another host; answers are capped in size; every attempt is bounded by the connect, stall and
/// whole-request timeouts.
package final class HTTPTransport: Sendable {
    private let loop: CurlEventLoop
    let limits: TransferLimits

    package init(options: APIClientOptions) {
        loop = CurlEventLoop(maxConnections: options.maxConnections)
        limits = TransferLimits(options)
    }

    deinit {
        loop.shutDown()
    }

    /// Sends `message` once; `request` names it in errors.
    func perform(_ message: HTTPMessage, for request: APIRequest, credentials: Credentials)
        async -> Result<APIResponse, APIError> {
        switch await loop.perform(message, limits: limits) {
        case .answer(let answer) where (200..<300).contains(answer.status):
            return .success(APIResponse(status: answer.status, body: answer.body))
        case .answer(let answer) where answer.status >= 300:
            return .failure(statusError(answer, request: request, credentials: credentials))
        case .answer(let answer):
            return .failure(APIError(request: request.label, status: nil, kind: .invalidResponse,
                                     message: "the answer has no valid HTTP status (\(answer.status))",
                                     isOutcomeUnknown: request.isWrite))
        case .failure(let failure):
            return .failure(transportError(failure, request: request, host: Self.host(of: message.url)))
        }
    }

    private func statusError(_ answer: HTTPAnswer, request: APIRequest, credentials: Credentials) -> APIError {
        let status = answer.status
        let kind = APIError.Kind.of(status: status)
        var message = ErrorBody.message(from: answer.body, status: status)
        if answer.truncated {
            message += " (the answer was longer than \(Self.size(limits.maxErrorBytes)); the rest was not read)"
        }
        if (300..<400).contains(status) {
            message = "redirect to \(answer.location ?? "another location") not followed; check the API URL"
        }
        let hint = status == 401 || status == 403 ? credentials.advice(for: request.api) : nil
        return APIError(
            request: request.label, status: status, kind: kind, message: message,
            isOutcomeUnknown: request.isWrite && kind == .unavailable,
            retryAfterSeconds: answer.retryAfter.flatMap(Self.retryAfter), hint: hint
        )
    }

    private func transportError(_ failure: TransferFailure, request: APIRequest, host: String) -> APIError {
        let kind: APIError.Kind
        let message: String
        var hint: String?
        switch failure.reason {
        case .cancelled:
            (kind, message) = (.cancelled, "cancelled")
        case .tooLarge:
            (kind, message) = (.invalidResponse,
                               "the answer from \(host) is larger than \(Self.size(limits.maxAnswerBytes)); "
                               + "provsync stopped reading it")
        case .curl(let code, let detail):
            (kind, message, hint) = classify(code: code, detail: detail, failure: failure, host: host)
        }
        let unknown = request.isWrite && kind != .connectionFailed
        return APIError(request: request.label, status: nil, kind: kind, message: message, isOutcomeUnknown: unknown,
                        hint: hint)
    }

    private func classify(code: Int, detail: String, failure: TransferFailure, host: String)
        -> (APIError.Kind, String, String?) {
        let curl = "(curl: \(Self.steady(detail)))"
        switch CURLcode(rawValue: UInt32(code)) {
        case CURLE_OPERATION_TIMEDOUT where !failure.connected:
            return (.connectionFailed, "could not connect to \(host) within \(Self.seconds(limits.connectTimeout))", nil)
        case CURLE_OPERATION_TIMEDOUT where limits.stallTimeout < limits.timeout && failure.elapsed < limits.timeout - 0.1:
            return (.timeout, "the answer from \(host) stalled: nothing arrived for \(Self.seconds(limits.stallTimeout))",
                    nil)
        case CURLE_OPERATION_TIMEDOUT:
            return (.timeout, "no complete answer from \(host) within \(Self.seconds(limits.timeout))", nil)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE:
            return (.connectionFailed, "could not connect to \(host): its TLS certificate is not trusted \(curl)",
                    "if a private CA signed it, point SSL_CERT_FILE or CURL_CA_BUNDLE at that CA's bundle")
        case CURLE_COULDNT_RESOLVE_PROXY:
            return (.connectionFailed, "could not reach the proxy for \(host) \(curl)",
                    "check HTTPS_PROXY, HTTP_PROXY (http_proxy) and NO_PROXY")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_FAILED_INIT,
             CURLE_OUT_OF_MEMORY, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED:
            return (.connectionFailed, "could not connect to \(host) \(curl)", nil)
        case CURLE_RECV_ERROR where !failure.connected:
            return (.connectionFailed, "could not connect to \(host) \(curl)", nil)
        default:
            return (.connectionLost, "the connection to \(host) was lost before a complete answer \(curl)", nil)
        }
    }

    /// libcurl's message without the figures that change from attempt to attempt ("after 3 ms", "with 120 bytes
    /// received"), so that retries of one failure read the same and are counted as one reason.
    static func steady(_ detail: String) -> String {
        detail.replacing(/\ after \d+ (ms|milliseconds)/, with: "")
            .replacing(/\ with \d+ (out of \d+ )?bytes received/, with: "")
    }

    /// `host:port` of `url`, as messages name the server.
    static func host(of url: URL?) -> String {
        guard let url else { return "the API" }
        return (url.host ?? "?") + (url.port.map { ":\($0)" } ?? "")
    }

    /// `Retry-After` as seconds, from a number or an HTTP date.
    static func retryAfter(_ value: String) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    private static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB"
            : bytes >= 1 << 10 && bytes % (1 << 10) == 0 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }
}
