import Testing
import Foundation
@testable import ProvsyncManifests
import ProvsyncTestSupport
import ProvsyncModel

/// The 1 MiB limit on a manifest file, and the diagnostics collected over several files: their order and
/// duplicate identities.
@Suite("Git reading: size limit and diagnostics")
struct GitLimitTests {
    // MARK: Size limit

    @Test("a manifest over 1 MiB is refused with an error at that file; the other files are still read")
    func oversizeFile() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let size = (1 << 20) + 1
        try repo.write("manifests/big.yaml", bytes: padded(installation("acme/big"), toBytes: size))
        try repo.commitFiles([
            "manifests/a.yaml": installation("acme/a"),
            "manifests/z.yaml": installation("acme/z"),
        ])

        for workingTree in [false, true] {
            let loaded = try load(repo, workingTree: workingTree)
            #expect(loaded.addresses == ["installation/acme/a", "installation/acme/z"], "workingTree: \(workingTree)")
            #expect(loaded.fileCount == 2)
            #expect(loaded.errors.count == 1)
            let error = try #require(loaded.errors.first)
            #expect(error.location == SourceLocation(file: "manifests/big.yaml", line: 1, column: 1))
            #expect(error.message == "file is \(size) bytes; files larger than 1048576 bytes are refused")
        }

        let direct = try load(repo, paths: ["manifests/big.yaml"])
        #expect(direct.manifestSet.manifests.isEmpty)
        #expect(direct.errors.count == 1)
        #expect(direct.errors.first?.location?.file == "manifests/big.yaml")
        #expect(direct.errors.first?.message.contains("refused") == true)
    }

    @Test("a manifest of exactly 1 MiB is still read")
    func fileAtSizeLimit() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/edge.yaml", bytes: padded(installation("acme/edge"), toBytes: 1 << 20))
        try repo.commitAll()
        let loaded = try load(repo)
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.addresses == ["installation/acme/edge"])
    }

    // MARK: Diagnostics from several files

    @Test("diagnostics from several files come sorted by file, then line; unplaced ones first")
    func sortedDiagnostics() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", [
            installation("acme/dup"),
            installation("acme/a2") + "  bogus: 1\n",
            installation("acme/a3") + "  resource_tier: huge\n",
        ].joined(separator: "---\n"))
        try repo.write("manifests/b.yaml", installation("acme/dup"))
        try repo.write("manifests/big.yaml", bytes: padded(installation("acme/big"), toBytes: (1 << 20) + 10))
        try repo.write("manifests/c.yaml", "apiVersion: provsync/v1\nkind: Instalation\nspec:\n  provider_name: acme/c\n")
        try repo.symlink("manifests/z.yaml", to: "b.yaml")
        try repo.commitAll()

        let loaded = try load(repo, paths: ["manifests", "nope"])
        let places = loaded.diagnostics.map { $0.location.map { "\($0.file):\($0.line)" } ?? "-" }
        #expect(places == [
            "-",
            "manifests/a.yaml:10",
            "manifests/a.yaml:16",
            "manifests/b.yaml:4",
            "manifests/big.yaml:1",
            "manifests/c.yaml:2",
            "manifests/z.yaml:0",
        ])
        #expect(loaded.diagnostics.map(\.severity) == [.error, .error, .error, .error, .error, .error, .warning])
        #expect(loaded.diagnostics.first?.message.contains("'nope' does not exist") == true)
        #expect(loaded.diagnostics[3].message.contains("defined twice") == true)
        #expect(loaded.diagnostics == Diagnostic.sortedByLocation(loaded.diagnostics))
    }

    @Test("two manifests with one identity: an error at the second naming the first's place")
    func duplicateIdentities() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            "manifests/a.yaml": installation("acme/dup"),
            "manifests/b.yaml": agent("ghcr.io/acme/other:1") + "---\n" + installation("acme/dup"),
        ])

        let loaded = try load(repo)
        #expect(loaded.errors.count == 1)
        let error = try #require(loaded.errors.first)
        #expect(error.location == SourceLocation(file: "manifests/b.yaml", line: 9, column: 18))
        #expect(error.message == "installation/acme/dup is defined twice: here and at manifests/a.yaml:4:18")
        #expect(error.description
                == "manifests/b.yaml:9:18: error: installation/acme/dup is defined twice: here and at manifests/a.yaml:4:18")
    }

    @Test("two agents whose derived origins are equal are duplicates too, across files")
    func duplicateAgentOrigins() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            "manifests/a.yaml": agent("ghcr.io/acme/agent:1.0"),
            "manifests/c/c.yaml": agent("ghcr.io/acme/agent:2.0"),
        ])

        let loaded = try load(repo)
        #expect(loaded.errors.count == 1)
        let error = try #require(loaded.errors.first)
        #expect(error.location?.file == "manifests/c/c.yaml")
        #expect(error.message.hasPrefix("agent/ghcr.io/acme/agent is defined twice: here and at manifests/a.yaml:"))
    }
}
