/// Reads the variables of many providers with at most `parallelism` requests in flight: a sliding window
/// over a task group, so a new read starts as soon as one finishes.
enum VariablesFetcher {
    /// What one read gave: the variables (nil for a provider that no longer exists) or the failure.
    private struct Outcome: Sendable {
        var id: String
        var variables: [String: String]?
        var failure: APIError?
    }

    /// Variables by provider id (nil for a provider that no longer exists), read with `read`. After the
    /// first failure no new read starts; those in flight finish, and the failure is thrown.
    static func fetch(
        ids: [String], parallelism: Int,
        read: @escaping @Sendable (String) async throws(APIError) -> [String: String]?
    ) async throws(APIError) -> [String: [String: String]?] {
        guard !ids.isEmpty else { return [:] }
        let width = max(1, parallelism)
        var results: [String: [String: String]?] = [:]
        var failure: APIError?
        await withTaskGroup(of: Outcome.self) { group in
            var pending = ids[...]
            var running = 0
            while true {
                while running < width, failure == nil, let id = pending.popFirst() {
                    running += 1
                    group.addTask {
                        do throws(APIError) {
                            return Outcome(id: id, variables: try await read(id), failure: nil)
                        } catch {
                            return Outcome(id: id, variables: nil, failure: error)
                        }
                    }
                }
                guard let outcome = await group.next() else { break }
                running -= 1
                if let error = outcome.failure {
                    failure = failure ?? error
                } else {
                    results[outcome.id] = .some(outcome.variables)
                }
            }
        }
        if let failure { throw failure }
        return results
    }
}
