import Foundation
import Testing
@testable import ProvsyncManifests
import ProvsyncModel
import ProvsyncTestSupport

/// File names with spaces, unicode, `#`, `%`, `:`, a leading `-`, quotes, backslashes, line breaks, tabs and
/// terminal controls are read like any other, and print so that `path:line:column: error: …` stays one
/// unambiguous line: a path that could break it is quoted, with escapes.
@Suite("Odd file names")
struct OddPathTests {
    /// Each name under `manifests/`, and how a diagnostic prints its path.
    static let names: [(name: String, shown: String)] = [
        ("with space.yaml", "manifests/with space.yaml"),
        ("ünïcödé 名前.yaml", "manifests/ünïcödé 名前.yaml"),
        ("#hash.yaml", "manifests/#hash.yaml"),
        ("100%.yaml", "manifests/100%.yaml"),
        ("-lead.yaml", "manifests/-lead.yaml"),
        ("a:1:1.yaml", #""manifests/a:1:1.yaml""#),
        ("new\nline.yaml", #""manifests/new\nline.yaml""#),
        ("tab\there.yaml", #""manifests/tab\there.yaml""#),
        ("quote\".yaml", #""manifests/quote\".yaml""#),
        ("back\\slash.yaml", #""manifests/back\\slash.yaml""#),
        ("esc\u{1B}[31m.yaml", #""manifests/esc\u{1B}[31m.yaml""#),
        ("\u{202E}lmay.yaml", #""manifests/\u{202E}lmay.yaml""#),
    ]

    @Test("every odd name is read, and each duplicate prints as one line naming both files unambiguously",
          arguments: HostileRepository.sources)
    func oddNames(workingTree: Bool) throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        for (name, _) in Self.names {
            try repo.write("manifests/\(name)", HostileRepository.installation("acme/same"))
        }
        try repo.commitAll()

        let loaded = try HostileRepository.load(repo, workingTree: workingTree)
        #expect(loaded.fileCount == Self.names.count)
        #expect(loaded.manifestSet.manifests.count == Self.names.count)
        // Files are read in path order; the first defines acme/same, every later one clashes with it.
        let ordered = Self.names.sorted { $0.name < $1.name }
        let first = try #require(ordered.first)
        let expected = ordered.dropFirst().map { file in
            "\(file.shown):4:18: error: installation/acme/same is defined twice: here and at \(first.shown):4:18"
        }
        #expect(loaded.diagnostics.map(\.description) == expected)
        #expect(loaded.diagnostics.map(\.location?.file) == ordered.dropFirst().map { "manifests/\($0.name)" })
    }

    @Test("an odd name given with --path is read")
    func namedPath() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/-lead.yaml", HostileRepository.installation("acme/lead"))
        try repo.write("manifests/new\nline.yaml", "kind: Nope\n")
        try repo.commitAll()

        let loaded = try HostileRepository.load(repo, workingTree: false,
                                                paths: ["manifests/-lead.yaml", "manifests/new\nline.yaml"])
        #expect(loaded.manifestSet.manifests.map(\.address.description) == ["installation/acme/lead"])
        #expect(loaded.diagnostics.first?.description
                == #""manifests/new\nline.yaml":1:1: error: missing required field "apiVersion""#)
    }

    @Test("names that are not UTF-8 in a commit are read, their bad bytes shown as \\xNN, so two never print alike")
    func nonUTF8Name() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("blob.yaml", HostileRepository.installation("acme/latin1"))
        let blob = try repo.git("hash-object", "-w", "blob.yaml")
        try repo.write("other.yaml", HostileRepository.installation("acme/other"))
        let other = try repo.git("hash-object", "-w", "other.yaml")
        // git keeps names as bytes; `printf` writes the 0xE9 and 0xE8 bytes that a Swift string cannot hold,
        // in a file name and in a directory name.
        let script = "printf '100644 \(blob) 0\\tmanifests/caf\\351.yaml\\n100644 \(other) 0\\tmanifests/d\\350/caf\\350.yaml\\n'"
            + " | git update-index --index-info"
        let output = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", script], in: repo.url,
                                           environment: ScratchRepository.environment(home: repo.scratch))
        try #require(output.status == 0, "\(output.stderr)")
        try repo.git("commit", "-q", "-m", "latin-1 names")

        let loaded = try HostileRepository.load(repo, workingTree: false)
        // The files are in the commit only (never written to the working tree), which the one warning says.
        #expect(loaded.diagnostics.allSatisfy { $0.severity == .warning }, "\(loaded.diagnostics)")
        #expect(loaded.manifestSet.manifests.map(\.location.file).sorted()
                == ["manifests/caf\\xE9.yaml", "manifests/d\\xE8/caf\\xE8.yaml"])
        #expect(loaded.manifestSet.manifests.map(\.address.description).sorted()
                == ["installation/acme/latin1", "installation/acme/other"])
    }

    @Test("a working-tree name that is not UTF-8 is reported, not skipped silently")
    func nonUTF8NameInWorkingTree() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", HostileRepository.installation("acme/a"))
        let script = "printf 'kind: x\\n' > \"$(printf 'manifests/caf\\351.yaml')\"; mkdir \"$(printf 'manifests/d\\351')\""
        let output = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", script], in: repo.url)
        try #require(output.status == 0, "\(output.stderr)")

        let loaded = try HostileRepository.load(repo, workingTree: true)
        let message = "not read: the name is not valid UTF-8, so it cannot be opened in the working tree; rename it "
            + "(reading a commit works)"
        #expect(loaded.diagnostics == [
            .error(message, at: .file("manifests/caf\u{FFFD}.yaml")),
            .warning(message, at: .file("manifests/d\u{FFFD}")),
        ])
        #expect(loaded.manifestSet.manifests.map(\.address.description) == ["installation/acme/a"])
    }
}
