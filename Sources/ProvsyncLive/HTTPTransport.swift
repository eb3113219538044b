import Foundation
import ProvsyncModel
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One URLSession and the translation of a single attempt into an `APIResponse` or an `APIError`.
/// Redirects are not followed, so the `Authorization` header never travels to another host.
final class HTTPTransport: Sendable {
    private let session: URLSession
    let timeout: Double

    /// URLSession on Linux counts timeouts in whole seconds (a fraction is cut off, and 0 expires at once),
    /// so the timeout is rounded up to whole seconds everywhere.
    init(timeout: Double) {
        let timeout = max(1, timeout.rounded(.up))
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        // Without this URLSession on Linux parses every response header looking for cookies to store.
        configuration.httpCookieAcceptPolicy = .never
        // The callers bound how many requests are in flight (--parallelism, up to 256); URLSession's own
        // default of 6 connections per host would quietly cap every higher setting at 6.
        configuration.httpMaximumConnectionsPerHost = 256
        session = URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// One request through the completion-handler API. Not `session.data(for:)`: on Linux, cancelling the
    /// task awaiting it calls `URLSessionTask.cancel()` under the task's status lock, which can deadlock with
    /// the answer arriving at the same moment. A request sent here runs to its answer or its timeout; a
    /// cancelled caller simply finds out then.
    private func send(_ urlRequest: URLRequest) async throws -> (Data, URLResponse) {
        try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: urlRequest) { data, response, error in
                if let error {
                    continuation.resume(throwing: error)
                } else if let response {
                    continuation.resume(returning: (data ?? Data(), response))
                } else {
                    continuation.resume(throwing: URLError(.badServerResponse))
                }
            }.resume()
        }
    }

    /// Sends `urlRequest` once; `request` names it in errors.
    func perform(_ urlRequest: URLRequest, for request: APIRequest, credentials: Credentials)
        async -> Result<APIResponse, APIError> {
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await send(urlRequest)
        } catch {
            return .failure(transportError(error, request: request, url: urlRequest.url))
        }
        guard let http = response as? HTTPURLResponse else {
            return .failure(APIError(request: request.label, status: nil, kind: .invalidResponse,
                                     message: "the answer is not an HTTP response",
                                     isOutcomeUnknown: request.isWrite))
        }
        if (200..<300).contains(http.statusCode) {
            return .success(APIResponse(status: http.statusCode, body: data))
        }
        return .failure(statusError(http, body: data, request: request, credentials: credentials))
    }

    private func statusError(_ http: HTTPURLResponse, body: Data, request: APIRequest,
                             credentials: Credentials) -> APIError {
        let status = http.statusCode
        let kind = APIError.Kind.of(status: status)
        var message = ErrorBody.message(from: body, status: status)
        if (300..<400).contains(status) {
            let target = http.value(forHTTPHeaderField: "Location") ?? "another location"
            message = "redirect to \(target) not followed; check the API URL"
        }
        let hint = status == 401 || status == 403 ? credentials.advice(for: request.api) : nil
        return APIError(
            request: request.label, status: status, kind: kind, message: message,
            isOutcomeUnknown: request.isWrite && kind == .unavailable,
            retryAfterSeconds: http.value(forHTTPHeaderField: "Retry-After").flatMap(Self.retryAfter), hint: hint
        )
    }

    private func transportError(_ error: any Error, request: APIRequest, url: URL?) -> APIError {
        let host = url.map { "\($0.host ?? "?")" + ($0.port.map { ":\($0)" } ?? "") } ?? "the API"
        let kind: APIError.Kind
        let message: String
        if error is CancellationError {
            (kind, message) = (.cancelled, "cancelled")
        } else if let urlError = error as? URLError {
            switch urlError.code {
            case .timedOut:
                (kind, message) = (.timeout, "no complete answer from \(host) within \(Self.seconds(timeout))")
            case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
                 .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
                 .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
                (kind, message) = (.connectionFailed, "could not connect to \(host) (URLError \(urlError.code.rawValue))")
            case .cancelled:
                (kind, message) = (.cancelled, "cancelled")
            default:
                (kind, message) = (.connectionLost,
                                   "the connection to \(host) was lost before a complete answer "
                                   + "(URLError \(urlError.code.rawValue))")
            }
        } else {
            (kind, message) = (.connectionLost, "the request to \(host) failed: \(type(of: error))")
        }
        let unknown = request.isWrite && kind != .connectionFailed
        return APIError(request: request.label, status: nil, kind: kind, message: message, isOutcomeUnknown: unknown)
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
}

/// Answers every redirect with "do not follow": the 3xx comes back as the response.
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
