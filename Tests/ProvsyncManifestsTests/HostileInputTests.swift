import Foundation
import Testing
@testable import ProvsyncManifests
import ProvsyncModel
import ProvsyncTestSupport

private typealias Repo = HostileRepository

private extension LoadedManifests {
    var errorLines: [String] { diagnostics.errors.map(\.description) }
}

/// Huge, numerous, deep, self-multiplying and badly encoded manifests, read through the real loader from a
/// commit and from the working tree: each is read or refused with an error naming its file, line and column.
@Suite("Large and hostile input")
struct HostileInputTests {
    @Test("a 100 MB manifest is refused at its first line without being read", arguments: Repo.sources)
    func hugeManifest(workingTree: Bool) async throws {
        try await awayFromCooperativePool {
            let repo = try ScratchRepository()
            defer { repo.delete() }
            try repo.write("manifests/a.yaml", Repo.installation("acme/a"))
            try Repo.writeSparse(repo, "manifests/huge.yaml", size: 100 << 20)
            try repo.commitAll()

            let (loaded, readFiles) = try Repo.loadRecording(repo, workingTree: workingTree)
            #expect(readFiles == ["manifests/a.yaml"])
            #expect(loaded.addresses == ["installation/acme/a"])
            #expect(loaded.errorLines == [
                "manifests/huge.yaml:1:1: error: file is 104857600 bytes; files larger than 1048576 bytes are refused",
            ])
            let named = try Repo.load(repo, workingTree: workingTree, paths: ["manifests/huge.yaml"])
            #expect(named.errorLines == loaded.errorLines)
        }
    }

    @Test("a provsync.yaml over the size limit is refused without being read", arguments: Repo.sources)
    func hugeConfiguration(workingTree: Bool) throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", Repo.installation("acme/a"))
        try Repo.writeSparse(repo, "provsync.yaml", size: 2 << 20)
        try repo.commitAll()

        let (loaded, readFiles) = try Repo.loadRecording(repo, workingTree: workingTree)
        #expect(readFiles == ["manifests/a.yaml"])
        #expect(loaded.errorLines == [
            "provsync.yaml:1:1: error: file is 2097152 bytes; files larger than 1048576 bytes are refused",
        ])
    }

    @Test("100,000 manifests in 100 files load from a commit, and duplicates among them name both places")
    func hundredThousandManifests() async throws {
        try await awayFromCooperativePool {
            let repo = try ScratchRepository()
            defer { repo.delete() }
            for file in 0..<100 {
                var text = ""
                for document in 0..<1000 {
                    let number = file * 1000 + document
                    text += "---\n" + (number.isMultiple(of: 2)
                        ? Repo.installation("acme/p\(number)") : Repo.agent("ghcr.io/acme/a\(number):1.0"))
                }
                if file == 99 {
                    text += "---\n" + Repo.installation("acme/p0") + "---\n" + Repo.agent("ghcr.io/acme/a1:2.0")
                }
                try repo.write("manifests/f\(String(file + 1000).dropFirst()).yaml", text)
            }
            try repo.commitAll()

            let loaded = try Repo.load(repo, workingTree: false)
            #expect(loaded.fileCount == 100)
            #expect(loaded.manifestSet.manifests.count == 100_002)
            #expect(loaded.manifestSet.count(of: .installation) == 50_001)
            #expect(Set(loaded.addresses).count == 100_000)
            #expect(loaded.errorLines == [
                "manifests/f099.yaml:5005:18: error: installation/acme/p0 is defined twice: here and at manifests/f000.yaml:5:18",
                "manifests/f099.yaml:5010:13: error: agent/ghcr.io/acme/a1 is defined twice: here and at manifests/f000.yaml:10:13",
            ])
        }
    }

    @Test("10,000 levels of nesting are refused at the 65th level, however they are written", arguments: Repo.sources)
    func deepNesting(workingTree: Bool) throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let depth = 10_000
        try repo.write("manifests/lists.yaml",
                       String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n")
        try repo.write("manifests/maps.yaml",
                       String(repeating: "{a: ", count: depth) + "x" + String(repeating: "}", count: depth) + "\n")
        try repo.write("manifests/dashes.yaml", String(repeating: "- ", count: depth) + "x\n")
        // Indentation makes deeper block mappings larger than the file limit; 1,000 levels take 500 KB.
        try repo.write("manifests/indented.yaml",
                       (0..<1000).map { String(repeating: " ", count: $0) + "k:\n" }.joined())
        try repo.write("manifests/alias.yaml", "a: &d " + String(repeating: "[", count: 40)
                       + String(repeating: "]", count: 40) + "\nb: " + String(repeating: "[", count: 30) + "*d"
                       + String(repeating: "]", count: 30) + "\n")
        try repo.commitAll()

        let loaded = try Repo.load(repo, workingTree: workingTree)
        #expect(loaded.errorLines == [
            "manifests/alias.yaml:2:34: error: nesting is deeper than 64 levels (through alias *d)",
            "manifests/dashes.yaml:1:129: error: nesting is deeper than 64 levels",
            "manifests/indented.yaml:65:65: error: nesting is deeper than 64 levels",
            "manifests/lists.yaml:1:65: error: nesting is deeper than 64 levels",
            "manifests/maps.yaml:1:257: error: nesting is deeper than 64 levels",
        ])
    }

    @Test("a billion-laughs alias bomb and aliases of a long string are refused where they cross the limit")
    func aliasBombs() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        var laughs = "a0: &a0 [" + [String](repeating: "lol", count: 10).joined(separator: ", ") + "]\n"
        for level in 1...9 {
            laughs += "a\(level): &a\(level) ["
                + [String](repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        try repo.write("manifests/laughs.yaml", laughs)
        // Without a limit on text, 2,000 aliases of a 500 KB string would hand the decoder 1 GB to scan; the
        // third alias crosses 1 MiB.
        var strings = Repo.installation("acme/strings") + "  config:\n    K0: &s \"$"
            + String(repeating: "x", count: 500_000) + "\"\n"
        for key in 1...2000 {
            strings += "    K\(key): *s\n"
        }
        try repo.write("manifests/strings.yaml", strings)
        try repo.commitAll()

        let loaded = try Repo.load(repo, workingTree: false)
        #expect(loaded.errorLines == [
            "manifests/laughs.yaml:4:45: error: aliases expand to more than 10000 nodes; refusing to expand them",
            "manifests/strings.yaml:9:9: error: aliases expand to more than 1048576 bytes of text; refusing to "
                + "expand them",
        ])
    }

    @Test("a 900 KB line is read; a 2 MB one is refused; a 2,000-character key is a located error",
          arguments: Repo.sources)
    func longLines(workingTree: Bool) throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let long = String(repeating: "x", count: 900_000)
        try repo.write("manifests/long.yaml", Repo.installation("acme/long") + "  config:\n    LONG: \(long)\n")
        try repo.write("manifests/longer.yaml", "# " + String(repeating: "y", count: 2_000_000) + "\n")
        try repo.write("manifests/key.yaml", String(repeating: "k", count: 2000) + ": v\n")
        try repo.commitAll()

        let loaded = try Repo.load(repo, workingTree: workingTree)
        #expect(loaded.addresses == ["installation/acme/long"])
        let manifest = try #require(loaded.manifestSet.manifests.first)
        guard case .installation(let installation) = manifest.body else {
            Issue.record("expected an installation, got \(manifest.body)")
            return
        }
        #expect(installation.config["LONG"] == TemplatedString(literal: long))
        #expect(loaded.errorLines == [
            // libyaml takes at most 1,024 characters as a key, so it reports the colon after a longer one.
            "manifests/key.yaml:1:2001: error: invalid YAML: mapping values are not allowed in this context",
            "manifests/longer.yaml:1:1: error: file is 2000003 bytes; files larger than 1048576 bytes are refused",
        ])
    }

    @Test("NUL bytes, Latin-1 and UTF-16 files are errors at the offending byte", arguments: Repo.sources)
    func encodings(workingTree: Bool) throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/nul.yaml", Repo.installation("acme/x\0y"))
        try repo.write("manifests/latin1.yaml", bytes: Data("# caf".utf8 + [0xE9] + Array("\n".utf8)))
        try repo.write("manifests/utf16.yaml", bytes: Data([0xFF, 0xFE] + Array("a".utf16).flatMap { [UInt8($0), 0] }))
        try repo.commitAll()

        let loaded = try Repo.load(repo, workingTree: workingTree)
        #expect(loaded.errorLines == [
            "manifests/latin1.yaml:1:6: error: file is not valid UTF-8 (byte 0xE9)",
            "manifests/nul.yaml:4:24: error: invalid YAML: control characters are not allowed",
            "manifests/utf16.yaml:1:1: error: file is not valid UTF-8 (byte 0xFF)",
        ])
    }
}
