import Foundation

/// Runs CPU-heavy test work (fuzzing, thousands of manifests) on threads of its own instead of the threads
/// Swift concurrency shares with dispatch. A synchronous test busy for seconds holds one of those, and the
/// in-process sandboxes of the suites running beside it, which need them to answer, time out.
package func awayFromCooperativePool<Value>(_ body: () async throws -> Value) async rethrows -> Value {
    try await withTaskExecutorPreference(ThreadPerJobExecutor.shared, operation: body)
}

/// A task executor that runs each job on a new thread.
private final class ThreadPerJobExecutor: TaskExecutor {
    static let shared = ThreadPerJobExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        Thread {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }.start()
    }
}
