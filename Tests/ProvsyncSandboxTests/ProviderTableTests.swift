import Foundation
import Testing
@testable import ProvsyncSandbox

private func record(_ id: String, source: String, origin: String) -> ProviderRecord {
    ProviderRecord(id: id, source: source, origin: origin, isNetwork: false, createdBy: "user", agentCard: [:],
                   autoStopTimeoutSec: 900, registry: nil, variables: [:], env: [],
                   createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0),
                   lastActiveAt: nil, lastError: nil, probedState: nil, imageDigest: nil)
}

@Suite("Sandbox: the provider table's indexes")
struct ProviderTableTests {
    @Test("lookups by source and origin follow every write: insert, move, replace and remove")
    func indexesFollowWrites() {
        var table = ProviderTable()
        table["a"] = record("a", source: "ghcr.io/acme/a:1.0.0", origin: "ghcr.io/acme/a")
        table["b"] = record("b", source: "ghcr.io/acme/b:1.0.0", origin: "ghcr.io/acme/b")
        #expect(table.withSource("ghcr.io/acme/a:1.0.0").map(\.id) == ["a"])
        #expect(table.withOrigin("ghcr.io/acme/b").map(\.id) == ["b"])

        table["a"]?.source = "ghcr.io/acme/a:2.0.0"  // a patch of the location
        #expect(table.withSource("ghcr.io/acme/a:1.0.0").isEmpty)
        #expect(table.withSource("ghcr.io/acme/a:2.0.0").map(\.id) == ["a"])

        table["b"]?.origin = "ghcr.io/acme/a"
        #expect(table.withOrigin("ghcr.io/acme/a").map(\.id).sorted() == ["a", "b"])
        #expect(table.withOrigin("ghcr.io/acme/b").isEmpty)

        table.removeValue(forKey: "a")
        #expect(table.withSource("ghcr.io/acme/a:2.0.0").isEmpty)
        #expect(table.withOrigin("ghcr.io/acme/a").map(\.id) == ["b"])
        #expect(table.count == 1)
    }

    @Test("it is stored as the plain map by id, and a loaded one is indexed")
    func encodesAsAMap() throws {
        let records = ["a": record("a", source: "ghcr.io/acme/a:1.0.0", origin: "ghcr.io/acme/a")]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let encoded = try encoder.encode(ProviderTable(records))
        #expect(encoded == (try encoder.encode(records)))
        let decoded = try JSONDecoder().decode(ProviderTable.self, from: encoded)
        #expect(decoded == ProviderTable(records))
        #expect(decoded.withSource("ghcr.io/acme/a:1.0.0").map(\.id) == ["a"])
    }
}
