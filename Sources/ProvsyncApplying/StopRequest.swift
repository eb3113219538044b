import Foundation

/// A request to stop starting new operations (SIGINT or SIGTERM during apply). Operations already sent
/// are let finish, so none is left with an unknown outcome; the rest are reported as not attempted.
package final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    package init() {}

    package func request() {
        lock.withLock { requested = true }
    }

    package var isRequested: Bool {
        lock.withLock { requested }
    }
}
