import Foundation

/// A failed API request. `description` is one line naming the request and the API's answer, e.g.
/// `POST /providers/install acme/postgres: 409 Provider acme/postgres is already installed`.
/// It never holds a request body or the `Authorization` header.
package struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, so callers can tell a refusal from a transient failure.
    package enum Kind: String, Sendable, Hashable {
        /// 400: the request was refused (e.g. a second provider with one location).
        case badRequest
        /// 401: the credentials were missing or wrong.
        case unauthorized
        /// 403: the caller may not do this.
        case forbidden
        /// 404.
        case notFound
        /// 409: conflicts with the current state (already installed, active resources).
        case conflict
        /// 422: the body failed validation.
        case validation
        /// 429: throttled before anything was done.
        case throttled
        /// 500 and other 5xx answers except 502/503/504.
        case serverError
        /// 502, 503 or 504: a proxy or the service was unavailable.
        case unavailable
        /// Any other unexpected status.
        case unexpectedStatus
        /// No connection could be made; nothing was sent.
        case connectionFailed
        /// The connection dropped before a complete answer arrived.
        case connectionLost
        /// No complete answer within the timeout.
        case timeout
        /// A 2xx answer whose body is not what the contract describes.
        case invalidResponse
        /// The calling task was cancelled.
        case cancelled

        /// The kind for an HTTP status outside 2xx.
        package static func of(status: Int) -> Kind {
            switch status {
            case 400: .badRequest
            case 401: .unauthorized
            case 403: .forbidden
            case 404: .notFound
            case 409: .conflict
            case 422: .validation
            case 429: .throttled
            case 502, 503, 504: .unavailable
            case 500...599: .serverError
            default: .unexpectedStatus
            }
        }
    }

    /// The request, e.g. `POST /providers/install acme/postgres` or `PATCH /api/v1/providers/<id> (agent/o)`.
    package var request: String
    /// The HTTP status; nil for transport failures.
    package var status: Int?
    package var kind: Kind
    /// The API's answer (or the transport failure), already rendered to one line.
    package var message: String
    /// A write whose effect is unknown: the server may or may not have applied it (timeout, dropped
    /// connection, 502/503/504). Always false for reads.
    package var isOutcomeUnknown: Bool
    /// The `Retry-After` of a 429 or 503, in seconds.
    package var retryAfterSeconds: Double?
    /// How many times the request was sent (more than 1 after retries).
    package var attempts: Int
    /// Advice appended to the message, e.g. where credentials come from.
    package var hint: String?
    /// A 403 to `GET …/variables`: the caller may read providers but not their variables (the agent API
    /// makes a caller without the admin credential anonymous instead of refusing it with a 401).
    package var isDeniedVariablesRead = false

    package init(request: String, status: Int?, kind: Kind, message: String, isOutcomeUnknown: Bool = false,
                 retryAfterSeconds: Double? = nil, attempts: Int = 1, hint: String? = nil) {
        self.request = request
        self.status = status
        self.kind = kind
        self.message = message
        self.isOutcomeUnknown = isOutcomeUnknown
        self.retryAfterSeconds = retryAfterSeconds
        self.attempts = attempts
        self.hint = hint
    }

    /// Transient failures a later attempt may overcome (429, 502/503/504, timeouts, connection problems).
    package var isTransient: Bool {
        switch kind {
        case .throttled, .unavailable, .timeout, .connectionFailed, .connectionLost: true
        default: false
        }
    }

    /// A definite refusal of the request itself (400, 404, 409, 422): retrying the same request cannot help.
    package var isRefusal: Bool {
        switch kind {
        case .badRequest, .notFound, .conflict, .validation: true
        default: false
        }
    }

    package var description: String {
        var text = "\(request): " + (status.map { "\($0) " } ?? "") + message
        if let hint {
            text += " (\(hint))"
        }
        if attempts > 1 {
            text += " [after \(attempts) attempts]"
        }
        if isOutcomeUnknown {
            text += "; the outcome is unknown: the server may or may not have applied the change"
        }
        return text
    }
}
