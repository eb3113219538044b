@testable import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncSupport
import Testing

/// Counts reads in flight and remembers the most at once.
actor InFlight {
    private(set) var current = 0
    private(set) var peak = 0
    private(set) var started: [String] = []

    func begin(_ id: String) {
        current += 1
        peak = max(peak, current)
        started.append(id)
    }

    func end() {
        current -= 1
    }
}

@Suite("Sliding window and paging (no network)")
struct ConcurrencyTests {
    static func read(_ counter: InFlight, failing: String? = nil)
        -> @Sendable (String) async throws(APIError) -> [String: String]? {
        { id throws(APIError) in
            await counter.begin(id)
            for _ in 0..<20 {
                await Task.yield()
            }
            await counter.end()
            if id == failing {
                throw APIError(request: "GET /api/v1/providers/\(id)/variables", status: 500, kind: .serverError,
                               message: "boom")
            }
            return id == "gone" ? nil : ["ID": id]
        }
    }

    @Test("variables reads never exceed the window and every id is read once", arguments: [1, 2, 4, 50])
    func window(parallelism: Int) async throws {
        let ids = (0..<12).map { "p\($0)" } + ["gone"]
        let counter = InFlight()
        let results = try await VariablesFetcher.fetch(ids: ids, parallelism: parallelism,
                                                       read: Self.read(counter))
        #expect(await counter.peak <= min(parallelism, ids.count))
        #expect(await counter.peak >= 1)
        #expect(await counter.started.sorted() == ids.sorted())
        #expect(results.count == ids.count)
        #expect(results["p3"] == .some(["ID": "p3"]))
        #expect(results["gone"] == .some(nil))
    }

    @Test("a work queue's results come in the items' order, whichever finishes first; stopped, it hands out no more")
    func workQueueOrder() async {
        let items = Array(0..<40)
        let counter = InFlight()
        let results = await WorkQueue(items).map(width: 4) { item in
            await counter.begin("\(item)")
            for _ in 0..<(40 - item) {
                await Task.yield()  // early items take longest
            }
            await counter.end()
            return item * 10
        }
        #expect(results == items.map { $0 * 10 })
        #expect(await counter.peak <= 4)

        let queue = WorkQueue(["a", "b", "c"])
        #expect(queue.take()?.item == "a")
        queue.stop()
        #expect(queue.take() == nil)
        #expect(await WorkQueue([String]()).map(width: 8) { $0 }.isEmpty)
    }

    @Test("the first failure is thrown")
    func failure() async {
        let counter = InFlight()
        let error = await apiError { () async throws(APIError) in
            try await VariablesFetcher.fetch(ids: ["a", "b", "c", "d"], parallelism: 2,
                                             read: Self.read(counter, failing: "b"))
        }
        #expect(error?.description == "GET /api/v1/providers/b/variables: 500 boom")
    }

    static func provider(_ id: String) -> LiveAgentProvider {
        LiveAgentProvider(id: id, source: "docker.io/acme/\(id):1", origin: "docker.io/acme/\(id)")
    }

    @Test("pages are followed with the previous page's token until has_more is false")
    func paging() async throws {
        var tokens: [String?] = []
        let providers = try await ProviderPages.collect(label: "GET /api/v1/providers") { token throws(APIError) in
            tokens.append(token)
            switch token {
            case nil: return WireProviderPage(items: [Self.provider("a"), Self.provider("b")], hasMore: true,
                                              nextPageToken: "t2")
            case "t2": return WireProviderPage(items: [Self.provider("c")], hasMore: true, nextPageToken: "t3")
            default: return WireProviderPage(items: [Self.provider("d")], hasMore: false, nextPageToken: "ignored")
            }
        }
        #expect(tokens == [nil, "t2", "t3"])
        #expect(providers.map(\.id) == ["a", "b", "c", "d"])
    }

    @Test("has_more without a new token is an error, not an endless loop", arguments: [nil, "same"] as [String?])
    func brokenPaging(token: String?) async {
        let error = await apiError { () async throws(APIError) in
            try await ProviderPages.collect(label: "GET /api/v1/providers") { _ throws(APIError) in
                WireProviderPage(items: [], hasMore: true, nextPageToken: token)
            }
        }
        #expect(error?.kind == .invalidResponse)
        #expect(error?.description.hasPrefix("GET /api/v1/providers: 200 has_more is true") == true)
    }
}
