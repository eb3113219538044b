import Foundation

/// One HTTP request as the transport sends it: method, absolute URL, header lines and body.
struct HTTPMessage: Sendable {
    var method: String
    var url: URL
    /// `Name: value` lines; never printed (one holds the `Authorization` header).
    var headers: [String]
    var body: Data?
}

/// What one transfer ended with: an HTTP answer (any status), or a failure before a complete one.
enum TransferOutcome: Sendable {
    case answer(HTTPAnswer)
    case failure(TransferFailure)
}

/// An HTTP answer as received. `truncated` when an error answer was longer than the error cap and the rest
/// was not read.
struct HTTPAnswer: Sendable {
    var status: Int
    var body: Data
    var location: String?
    var retryAfter: String?
    var truncated: Bool
}

/// Why a transfer ended without a complete answer.
struct TransferFailure: Sendable, Error {
    enum Reason: Sendable, Equatable {
        /// libcurl's result code and its message for this transfer.
        case curl(code: Int, detail: String)
        /// A successful answer longer than the answer cap.
        case tooLarge
        /// The caller was cancelled, or the transport shut down.
        case cancelled
    }

    var reason: Reason
    /// Whether a connection to the server (or proxy) was made: if not, nothing was sent.
    var connected: Bool
    /// Seconds from the start of the transfer to its end.
    var elapsed: Double
}
