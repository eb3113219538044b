import Dispatch

/// Runs CPU-heavy test work (fuzzing, thousands of manifests) on dispatch threads instead of the cooperative
/// pool. The pool has one thread per core; a synchronous test busy for seconds holds one of them, and the
/// in-process sandboxes of the suites running beside it, which need the pool to answer, time out.
package func awayFromCooperativePool<Value>(_ body: () async throws -> Value) async rethrows -> Value {
    try await withTaskExecutorPreference(DispatchTaskExecutor.shared, operation: body)
}

/// A task executor whose jobs run on a concurrent dispatch queue.
private final class DispatchTaskExecutor: TaskExecutor {
    static let shared = DispatchTaskExecutor()

    private let queue = DispatchQueue(label: "provsync.tests.heavy-work", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
