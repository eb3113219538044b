import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `map` spread over the machine's cores: the array is cut into contiguous chunks that run side by side,
    /// and the results come back in order. For pure, CPU-bound transforms over many elements (decoding
    /// thousands of manifests, planning thousands of objects); below `2 × minimumChunk` elements it is a plain
    /// `map`, as threads would cost more than they save.
    ///
    /// The chunks run on threads of their own and on the calling thread, never on dispatch's shared worker
    /// threads: on Linux those also run Swift concurrency's jobs, and a long map there would leave tasks (an
    /// embedded sandbox answering requests, say) without a thread until it ends.
    package func concurrentMap<Result: Sendable>(
        minimumChunk: Int = 64, _ transform: @escaping @Sendable (Element) -> Result
    ) -> [Result] {
        let total = count
        let minimumChunk = Swift.max(1, minimumChunk)
        guard total >= 2 * minimumChunk else { return map(transform) }
        // More chunks than cores, so a slow chunk does not leave the other cores idle at the end.
        let chunks = Swift.min(32, total / minimumChunk)
        let workers = Swift.min(chunks, Swift.max(1, ProcessInfo.processInfo.activeProcessorCount))
        return [Result](unsafeUninitializedCapacity: total) { buffer, initialized in
            withUnsafeBufferPointer { elements in
                guard let results = buffer.baseAddress, let source = elements.baseAddress else { return }
                let shared = SharedBuffers(source: source, results: results)
                ChunkJob(chunks: chunks) { chunk in
                    for index in (chunk * total / chunks)..<((chunk + 1) * total / chunks) {
                        (shared.results + index).initialize(to: transform(shared.source[index]))
                    }
                }.run(workers: workers)
                initialized = total
            }
        }
    }
}

/// Chunks handed out one at a time to a few threads: the calling thread and `workers - 1` new ones, each
/// taking the next chunk until none is left. `run` returns when every chunk is done.
private final class ChunkJob: @unchecked Sendable {
    private let chunks: Int
    private let body: (Int) -> Void
    private let next = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)

    init(chunks: Int, body: @escaping (Int) -> Void) {
        self.chunks = chunks
        self.body = body
    }

    func run(workers: Int) {
        for _ in 1..<Swift.max(1, workers) {
            Thread { [self] in
                work()
                finished.signal()
            }.start()
        }
        work()
        for _ in 1..<Swift.max(1, workers) {
            finished.wait()
        }
    }

    private func work() {
        while true {
            let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard chunk < chunks else { return }
            body(chunk)
        }
    }
}

/// The input and output of `concurrentMap`, handed to its threads. Each index is read by one thread and
/// written by one thread, and the buffers outlive them all.
private struct SharedBuffers<Element, Result>: @unchecked Sendable {
    let source: UnsafePointer<Element>
    let results: UnsafeMutablePointer<Result>
}
