import ProvsyncLive
import ProvsyncModel

/// Sends a write without retrying it blindly. When its outcome is unknown (a timeout, a dropped connection,
/// a 500/502/503/504), `confirm` reads the object back: if the change shows it counts as applied; if not, the
/// write is sent again, at most `maxAttempts` times in all, so nothing is applied twice.
package struct WriteAttempts: Sendable {
    /// How many times a write is sent when reading back shows an earlier attempt did not take effect.
    package var maxAttempts: Int

    package init(maxAttempts: Int = 3) {
        self.maxAttempts = max(1, maxAttempts)
    }

    /// `send` returns what to report when it succeeds; `confirm` says whether the change now shows.
    package func run(
        _ send: () async throws(APIError) -> String, confirm: () async throws(APIError) -> Bool
    ) async -> ApplyOutcome {
        var attempt = 1
        while true {
            let error: APIError
            do throws(APIError) {
                return .applied(try await send())
            } catch let failure {
                error = failure
            }
            guard error.isOutcomeUnknown || error.kind == .serverError else { return .failed(error.description) }
            do throws(APIError) {
                if try await confirm() {
                    return .applied("confirmed by reading back after: \(error.description)")
                }
            } catch let readError {
                return .failed("\(error.description); reading the object back also failed: \(readError)")
            }
            guard attempt < maxAttempts else {
                return .failed("\(error.description) (sent \(attempt) times; the change could not be confirmed)")
            }
            attempt += 1
        }
    }
}
