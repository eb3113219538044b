/// The agent providers by id, with indexes by stored source and by origin: creating a provider (its source
/// must be free) and the list filtered by origin (asked before every create) then cost the same at 50,000
/// providers as at 5, as they do on the real server's indexed table. Encoded as the plain map by id.
struct ProviderTable: Sendable, Hashable, Codable, Sequence {
    private(set) var byID: [String: ProviderRecord] = [:]
    private var idsBySource: [String: Set<String>] = [:]
    private var idsByOrigin: [String: Set<String>] = [:]

    init() {}

    init(_ records: [String: ProviderRecord]) {
        for (id, record) in records {
            self[id] = record
        }
    }

    init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([String: ProviderRecord].self))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(byID)
    }

    static func == (lhs: ProviderTable, rhs: ProviderTable) -> Bool { lhs.byID == rhs.byID }
    func hash(into hasher: inout Hasher) { hasher.combine(byID) }

    subscript(id: String) -> ProviderRecord? {
        get { byID[id] }
        set {
            if let old = byID[id] { unindex(old, id: id) }
            byID[id] = newValue
            if let newValue { index(newValue, id: id) }
        }
    }

    @discardableResult
    mutating func removeValue(forKey id: String) -> ProviderRecord? {
        let removed = byID[id]
        self[id] = nil
        return removed
    }

    var values: Dictionary<String, ProviderRecord>.Values { byID.values }
    var count: Int { byID.count }

    func makeIterator() -> Dictionary<String, ProviderRecord>.Iterator { byID.makeIterator() }

    func mapValues(_ transform: (ProviderRecord) throws -> ProviderRecord) rethrows -> ProviderTable {
        ProviderTable(try byID.mapValues(transform))
    }

    /// The providers whose stored source is `source` (at most one, unless a loaded state holds more).
    func withSource(_ source: String) -> [ProviderRecord] {
        (idsBySource[source] ?? []).compactMap { byID[$0] }
    }

    /// The providers whose origin is `origin`.
    func withOrigin(_ origin: String) -> [ProviderRecord] {
        (idsByOrigin[origin] ?? []).compactMap { byID[$0] }
    }

    private mutating func index(_ record: ProviderRecord, id: String) {
        idsBySource[record.source, default: []].insert(id)
        idsByOrigin[record.origin, default: []].insert(id)
    }

    private mutating func unindex(_ record: ProviderRecord, id: String) {
        idsBySource[record.source]?.remove(id)
        if idsBySource[record.source]?.isEmpty == true { idsBySource[record.source] = nil }
        idsByOrigin[record.origin]?.remove(id)
        if idsByOrigin[record.origin]?.isEmpty == true { idsByOrigin[record.origin] = nil }
    }
}
