import Synchronization

/// Reads the variables of many providers with at most `parallelism` requests in flight: that many workers,
/// each taking the next provider as soon as its read finishes. Long-lived workers rather than a task per read
/// spare every read a round trip through the parent task, which at thousands of reads is measurable.
enum VariablesFetcher {
    /// The providers not yet taken, shared by the workers; after a failure it hands out no more.
    private final class Queue: Sendable {
        private struct State {
            var next = 0
            var failed = false
        }

        private let ids: [String]
        private let state = Mutex(State())

        init(_ ids: [String]) {
            self.ids = ids
        }

        /// The next provider to read, or nil when all are taken or a read has failed.
        func take() -> String? {
            state.withLock { state -> String? in
                guard !state.failed, state.next < ids.count else { return nil }
                defer { state.next += 1 }
                return ids[state.next]
            }
        }

        func stop() {
            state.withLock { $0.failed = true }
        }
    }

    /// What one worker read: variables by provider id (nil for a provider that no longer exists), and its
    /// failure, if any.
    private struct Share: Sendable {
        var results: [String: [String: String]?] = [:]
        var failure: APIError?
    }

    /// Variables by provider id (nil for a provider that no longer exists), read with `read`. After the
    /// first failure no new read starts; those in flight finish, and the failure is thrown.
    static func fetch(
        ids: [String], parallelism: Int,
        read: @escaping @Sendable (String) async throws(APIError) -> [String: String]?
    ) async throws(APIError) -> [String: [String: String]?] {
        guard !ids.isEmpty else { return [:] }
        let width = min(max(1, parallelism), ids.count)
        let queue = Queue(ids)
        let shares = await withTaskGroup(of: Share.self, returning: [Share].self) { group in
            for _ in 0..<width {
                group.addTask {
                    var share = Share()
                    while let id = queue.take() {
                        do throws(APIError) {
                            share.results[id] = .some(try await read(id))
                        } catch {
                            share.failure = error
                            queue.stop()
                            break
                        }
                    }
                    return share
                }
            }
            var shares: [Share] = []
            for await share in group {
                shares.append(share)
            }
            return shares
        }
        if let failure = shares.lazy.compactMap(\.failure).first { throw failure }
        var results: [String: [String: String]?] = [:]
        results.reserveCapacity(ids.count)
        for share in shares {
            results.merge(share.results) { first, _ in first }
        }
        return results
    }
}
