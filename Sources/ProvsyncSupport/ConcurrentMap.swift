import Dispatch

extension Array where Element: Sendable {
    /// `map` spread over the machine's cores: the array is cut into contiguous chunks that run side by side,
    /// and the results come back in order. For pure, CPU-bound transforms over many elements (decoding
    /// thousands of manifests, planning thousands of objects); below `2 × minimumChunk` elements it is a plain
    /// `map`, as threads would cost more than they save.
    package func concurrentMap<Result: Sendable>(
        minimumChunk: Int = 64, _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        let total = count
        let minimumChunk = Swift.max(1, minimumChunk)
        guard total >= 2 * minimumChunk else { return map(transform) }
        // More chunks than cores, so a slow chunk does not leave the other cores idle at the end.
        let chunks = Swift.min(32, total / minimumChunk)
        return [Result](unsafeUninitializedCapacity: total) { buffer, initialized in
            withUnsafeBufferPointer { elements in
                guard let results = buffer.baseAddress, let source = elements.baseAddress else { return }
                let shared = SharedBuffers(source: source, results: results)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for index in (chunk * total / chunks)..<((chunk + 1) * total / chunks) {
                        (shared.results + index).initialize(to: transform(shared.source[index]))
                    }
                }
                initialized = total
            }
        }
    }
}

/// The input and output of `concurrentMap`, handed to its threads. Each index is read by one thread and
/// written by one thread, and the buffers outlive them all.
private struct SharedBuffers<Element, Result>: @unchecked Sendable {
    let source: UnsafePointer<Element>
    let results: UnsafeMutablePointer<Result>
}
