/// Reads the variables of many providers with at most `parallelism` requests in flight: a sliding window
/// over a task group, so a new read starts as soon as one finishes.
enum VariablesFetcher {
    /// Variables by provider id (nil for a provider that no longer exists), read with `read`. After the
    /// first failure no new read starts; those in flight finish, and the failure is thrown.
    static func fetch(
        ids: [String], parallelism: Int,
        read: @escaping @Sendable (String) async throws(APIError) -> [String: String]?
    ) async throws(APIError) -> [String: [String: String]?] {
        guard !ids.isEmpty else { return [:] }
        let width = max(1, parallelism)
        let outcome = await withTaskGroup(of: (String, Result<[String: String]?, APIError>).self) { group in
            var results: [String: [String: String]?] = [:]
            var next = 0
            func start() {
                let id = ids[next]
                next += 1
                group.addTask {
                    do throws(APIError) {
                        return (id, .success(try await read(id)))
                    } catch {
                        return (id, .failure(error))
                    }
                }
            }
            while next < min(width, ids.count) {
                start()
            }
            var failure: APIError?
            while let (id, result) = await group.next() {
                switch result {
                case .success(let variables):
                    results[id] = .some(variables)
                case .failure(let error):
                    failure = failure ?? error
                }
                if failure == nil && next < ids.count {
                    start()
                }
            }
            if let failure { return Result<[String: [String: String]?], APIError>.failure(failure) }
            return .success(results)
        }
        return try outcome.get()
    }
}
