import Synchronization

/// Values the command line keeps until the process exits, never freed: the system takes their memory back at
/// once, while freeing a workspace of 10,000 manifests object by object costs about a tenth of a second at the
/// end of every plan, apply and drift (BENCHMARKS.md). Only for values that live to the end anyway.
enum ProcessLifetime {
    private static let kept = Mutex<[any Sendable]>([])

    static func keep(_ value: any Sendable) {
        kept.withLock { $0.append(value) }
    }
}
