import Synchronization

/// A request to stop starting new work (SIGINT or SIGTERM during apply). Work already sent is let finish,
/// so nothing is left with an unknown outcome; the rest is reported as not attempted.
package final class StopRequest: Sendable {
    private let requested = Atomic<Bool>(false)

    package init() {}

    package func request() {
        requested.store(true, ordering: .sequentiallyConsistent)
    }

    package var isRequested: Bool {
        requested.load(ordering: .sequentiallyConsistent)
    }
}
