import Foundation

/// The HTTP layer both `LiveReader` and `LiveWriter` sit on: JSON over libcurl (`HTTPTransport`) with the
/// credentials, the timeouts and size caps of `options` and the retry policy. Every failure is an `APIError`.
package struct APIClient: Sendable {
    package let endpoints: APIEndpoints
    /// Each API's own credentials.
    package let credentials: APICredentials
    package let options: APIClientOptions
    private let transport: HTTPTransport

    package init(endpoints: APIEndpoints, credentials: APICredentials, options: APIClientOptions = APIClientOptions()) {
        self.endpoints = endpoints
        self.credentials = credentials
        self.options = options
        transport = HTTPTransport(options: options)
    }

    /// Sends `request`, retrying as `options.retry` allows (telling `options.onRetry` of each retry), and
    /// returns the 2xx answer.
    func send(_ request: APIRequest) async throws(APIError) -> APIResponse {
        let message = try makeMessage(request)
        var attempt = 1
        while true {
            if Task.isCancelled {
                throw APIError(request: request.label, status: nil, kind: .cancelled, message: "cancelled",
                               attempts: attempt)
            }
            var error: APIError
            switch await transport.perform(message, for: request, credentials: credentials[request.api]) {
            case .success(let response):
                return response
            case .failure(let failure):
                error = failure
            }
            error.attempts = attempt
            let decision = options.retry.decide(after: error, attempt: attempt, isWrite: request.isWrite,
                                                jitter: options.jitter())
            guard case .retry(let delay) = decision else { throw error }
            options.onRetry(RetryNotice(
                after: error, server: HTTPTransport.host(of: message.url), attempt: attempt + 1,
                maxAttempts: request.isWrite ? options.retry.maxAttempts : options.retry.maxReadAttempts,
                delaySeconds: delay
            ))
            do {
                try await options.sleep(delay)
            } catch {
                throw APIError(request: request.label, status: nil, kind: .cancelled,
                               message: "cancelled while waiting to retry", attempts: attempt)
            }
            attempt += 1
        }
    }

    /// Sends `request` and reads its JSON answer.
    func fetch<Value: WireReadable>(_ type: Value.Type, _ request: APIRequest) async throws(APIError) -> Value {
        let response = try await send(request)
        do throws(WireError) {
            return try Value(wire: JSONParser.parse(response.body))
        } catch {
            let done = request.isWrite ? "the request succeeded, but " : ""
            throw APIError(request: request.label, status: response.status, kind: .invalidResponse,
                           message: done + "the answer is not what the API contract describes: " + error.summary)
        }
    }

    /// A JSON body for a request.
    static func body(_ value: some Encodable, for label: String) throws(APIError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            throw APIError(request: label, status: nil, kind: .invalidResponse,
                           message: "the request body could not be encoded")
        }
    }

    private func makeMessage(_ request: APIRequest) throws(APIError) -> HTTPMessage {
        let base = endpoints.url(for: request.api)
        guard let url = request.url(base: base) else {
            throw APIError(request: request.label, status: nil, kind: .connectionFailed,
                           message: "cannot build a URL under \(base.absoluteString)")
        }
        var headers = ["Accept: application/json", "User-Agent: \(options.userAgent)"]
        if request.body != nil {
            headers.append("Content-Type: application/json")
        }
        if let authorization = credentials[request.api].authorization {
            headers.append("Authorization: \(authorization)")
        }
        // A line break in a value (a pasted token, say) would start a header of its own.
        headers = headers.map { $0.filter { $0 != "\r" && $0 != "\n" } }
        return HTTPMessage(method: request.method.rawValue, url: url, headers: headers, body: request.body)
    }
}
