import Synchronization

/// Items handed out one at a time to workers running side by side, each with its position; once stopped it
/// hands out no more. Workers that each take the next item when done keep `parallelism` requests in
/// flight without a task per item.
package final class WorkQueue<Item: Sendable>: Sendable {
    private struct State {
        var next = 0
        var stopped = false
    }

    private let items: [Item]
    private let state = Mutex(State())

    package init(_ items: [Item]) {
        self.items = items
    }

    /// The next item and its index in the list, or nil when all are taken or the queue was stopped.
    package func take() -> (index: Int, item: Item)? {
        state.withLock { state -> (index: Int, item: Item)? in
            guard !state.stopped, state.next < items.count else { return nil }
            defer { state.next += 1 }
            return (state.next, items[state.next])
        }
    }

    /// No item is handed out after this.
    package func stop() {
        state.withLock { $0.stopped = true }
    }

    /// `body` applied to every item by `width` workers side by side; the results in the items' order.
    package func map<Result: Sendable>(width: Int, _ body: @escaping @Sendable (Item) async -> Result) async -> [Result] {
        let workers = min(max(1, width), items.count)
        let done = await withTaskGroup(of: [(Int, Result)].self, returning: [(Int, Result)].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var results: [(Int, Result)] = []
                    while let (index, item) = self.take() {
                        results.append((index, await body(item)))
                    }
                    return results
                }
            }
            var all: [(Int, Result)] = []
            for await results in group {
                all += results
            }
            return all
        }
        return done.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
