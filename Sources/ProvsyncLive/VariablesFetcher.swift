import ProvsyncSupport

/// Reads the variables of many providers with at most `parallelism` requests in flight: that many workers,
/// each taking the next provider as soon as its read finishes. Long-lived workers rather than a task per read
/// spare every read a round trip through the parent task, which at thousands of reads is measurable.
enum VariablesFetcher {
    /// Variables by provider id (nil for a provider that no longer exists), read with `read`. After the
    /// first failure no new read starts; those in flight finish, and the failure is thrown.
    static func fetch(
        ids: [String], parallelism: Int,
        read: @escaping @Sendable (String) async throws(APIError) -> [String: String]?
    ) async throws(APIError) -> [String: [String: String]?] {
        let queue = WorkQueue(ids)
        let outcomes = await queue.map(width: parallelism) { id -> Result<[String: String]?, APIError> in
            do throws(APIError) {
                return .success(try await read(id))
            } catch {
                queue.stop()
                return .failure(error)
            }
        }
        var results: [String: [String: String]?] = [:]
        results.reserveCapacity(ids.count)
        for (id, outcome) in zip(ids, outcomes) {
            results[id] = .some(try outcome.get())
        }
        return results
    }
}
