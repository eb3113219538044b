/// One request the sandbox answered, for tests that check what a client sent.
struct RequestLogEntry: Sendable, Codable, Hashable {
    var sequence: Int
    var method: String
    var path: String
    var route: String
    var status: Int
    /// The injected fault (`503`, `429`, `drop`), if any.
    var fault: String?
    /// The object the request was about (`acme/postgres` for an install, a provider id, ...).
    var subject: String?
}

/// The most recent requests, bounded so a long-running sandbox does not grow without limit.
struct RequestLog: Sendable {
    let capacity: Int
    private(set) var entries: [RequestLogEntry] = []
    private var next = 0
    private(set) var total = 0

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    mutating func append(_ entry: RequestLogEntry) {
        if entries.count < capacity {
            entries.append(entry)
        } else {
            entries[next] = entry
        }
        next = (next + 1) % capacity
        total += 1
    }

    /// Oldest first.
    var ordered: [RequestLogEntry] {
        entries.count < capacity ? entries : Array(entries[next...] + entries[..<next])
    }

    mutating func clear() {
        entries = []
        next = 0
        total = 0
    }
}
