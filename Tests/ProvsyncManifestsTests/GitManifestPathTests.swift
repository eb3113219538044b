import Testing
import Foundation
@testable import ProvsyncManifests
import ProvsyncTestSupport
import ProvsyncModel

/// Which files the manifest paths (`--path`, or `manifests/` by default) read, and the error diagnostics for
/// paths that are missing, escape the repository or hold no manifests.
@Suite("Git reading: manifest paths")
struct GitManifestPathTests {
    // MARK: Paths that read nothing

    @Test("a --path that does not exist at the commit is an error diagnostic, not a thrown error")
    func missingPath() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let sha = try repo.commitFiles(["manifests/a.yaml": installation("acme/a")])
        try repo.write("later/b.yaml", installation("acme/b"))  // only in the working tree

        let loaded = try load(repo, paths: ["nope", "later", "manifests"])
        #expect(!loaded.isValid)
        #expect(loaded.errors.count == 2)
        #expect(loaded.errors.map(\.message) == [
            "manifest path 'nope' does not exist at HEAD (\(sha.prefix(7)))",
            "manifest path 'later' does not exist at HEAD (\(sha.prefix(7)))",
        ])
        #expect(loaded.errors.allSatisfy { $0.location == nil })
        #expect(loaded.addresses == ["installation/acme/a"])

        let working = try load(repo, workingTree: true, paths: ["nope", "later"])
        #expect(working.errors.count == 1)
        #expect(working.errors.first?.message.contains("'nope' does not exist") == true)
        #expect(working.errors.first?.message.contains("working tree") == true)
        #expect(working.addresses == ["installation/acme/b"])
    }

    @Test("the default manifests/ missing is reported as a path that does not exist")
    func missingDefaultPath() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles(["README.md": "hello\n"])
        let loaded = try load(repo)
        #expect(loaded.errors.count == 1)
        #expect(loaded.errors.first?.message.contains("'manifests/' does not exist") == true)
        #expect(loaded.fileCount == 0)
    }

    @Test("a path with no *.yaml or *.yml files is an error diagnostic saying 'no manifests'")
    func pathWithoutManifests() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let sha = try repo.commitFiles([
            "docs/README.md": "# docs\n",
            "docs/schema.json": "{}\n",
            "docs/deep/notes.txt": "notes\n",
            "manifests/a.yaml": installation("acme/a"),
        ])

        let loaded = try load(repo, paths: ["docs", "manifests"])
        #expect(loaded.errors.count == 1)
        #expect(loaded.errors.first?.message == "no manifests (*.yaml, *.yml) under 'docs' at HEAD (\(sha.prefix(7)))")
        #expect(loaded.addresses == ["installation/acme/a"])

        let working = try load(repo, workingTree: true, paths: ["docs"])
        #expect(working.errors.count == 1)
        #expect(working.errors.first?.message.contains("no manifests") == true)

        try repo.makeDirectory("empty")
        let empty = try load(repo, workingTree: true, paths: ["empty"])
        #expect(empty.errors.count == 1)
        #expect(empty.errors.first?.message.contains("no manifests") == true)
    }

    @Test("a path with no manifests is reported even when an earlier path's warning starts with the same text")
    func noManifestsBesidePrefixSibling() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("a.yaml", installation("acme/a"))
        try repo.symlink("docsx/link.yaml", to: "../a.yaml")
        let sha = try repo.commitFiles(["docs/README.md": "# docs\n"])

        let loaded = try load(repo, paths: ["docsx", "docs"])
        #expect(loaded.warnings.map(\.location) == [.file("docsx/link.yaml")])
        // A path whose only entry is a skipped symlink has no manifests either.
        #expect(loaded.errors.map(\.message) == [
            "no manifests (*.yaml, *.yml) under 'docsx' at HEAD (\(sha.prefix(7)))",
            "no manifests (*.yaml, *.yml) under 'docs' at HEAD (\(sha.prefix(7)))",
        ])
    }

    @Test("a path whose files hold no documents is an error")
    func onlyEmptyDocuments() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let sha = try repo.commitFiles(["manifests/empty.yaml": "# nothing yet\n---\n"])
        let loaded = try load(repo)
        #expect(loaded.errors.map(\.message) == [
            "no manifests under 'manifests/' at HEAD (\(sha.prefix(7))): its files hold no documents",
        ])
    }

    @Test("a path escaping the repository is an error diagnostic; the other paths are still read")
    func escapingPath() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles(["manifests/a.yaml": installation("acme/a")])
        // Something that would be found if the path were followed.
        let outside = try repo.sibling("x")
        try Data(installation("acme/outside").utf8).write(to: outside.appendingPathComponent("m.yaml"))

        let loaded = try load(repo, paths: ["../x", "/etc", "manifests/../../y", "manifests"])
        #expect(loaded.errors.count == 3)
        #expect(loaded.errors.map(\.message) == [
            "manifest path '../x' must be relative and inside the repository",
            "manifest path '/etc' must be relative and inside the repository",
            "manifest path 'manifests/../../y' must be relative and inside the repository",
        ])
        #expect(loaded.addresses == ["installation/acme/a"])

        let alone = try load(repo, paths: ["../x"])
        #expect(alone.errors.count == 1)
        #expect(alone.errors.first?.message.contains("'../x'") == true)
        #expect(alone.manifestSet.manifests.isEmpty)

        let working = try load(repo, workingTree: true, paths: ["../x"])
        #expect(working.errors.count == 1)
        #expect(working.manifestSet.manifests.isEmpty)

        try repo.commitFiles(["provsync.yaml": "paths: [../x]\n"])
        let configured = try load(repo)
        #expect(configured.errors.count == 1)
        #expect(configured.errors.first?.message.contains("'../x' must be relative and inside the repository") == true)
        #expect(configured.manifestSet.manifests.isEmpty)
    }

    // MARK: What a path reads

    @Test("a single-file path reads only that file")
    func singleFilePath() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            "manifests/a.yaml": installation("acme/a"),
            "manifests/b.yaml": installation("acme/b"),
        ])

        let loaded = try load(repo, paths: ["manifests/a.yaml"])
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.addresses == ["installation/acme/a"])
        #expect(loaded.fileCount == 1)
        #expect(loaded.manifestSet.manifests.first?.location.file == "manifests/a.yaml")

        let dotted = try load(repo, paths: ["./manifests/a.yaml"])
        #expect(dotted.addresses == ["installation/acme/a"])
        #expect(dotted.manifestSet.manifests.first?.location.file == "manifests/a.yaml")

        let working = try load(repo, workingTree: true, paths: ["manifests/b.yaml"])
        #expect(working.addresses == ["installation/acme/b"])
    }

    @Test("a file named twice (directly and through its directory) is read once")
    func overlappingPaths() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles(["manifests/a.yaml": installation("acme/a")])
        let loaded = try load(repo, paths: ["manifests", "manifests/a.yaml", "./manifests/"])
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.addresses == ["installation/acme/a"])
        #expect(loaded.fileCount == 1)
    }

    @Test("*.yaml and *.yml are read, in nested directories too; other extensions are ignored")
    func extensions() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.write("manifests/b.yml", installation("acme/b"))
        try repo.write("manifests/team/c.yaml", installation("acme/c"))
        try repo.write("manifests/team/deeper/d.yml", agent("ghcr.io/acme/d:1"))
        for ignored in ["manifests/e.json", "manifests/README.md", "manifests/f.yaml.bak", "manifests/g.txt",
                        "manifests/yaml", "manifests/team/h.yamlx"] {
            try repo.write(ignored, "not: [valid\n")
        }
        try repo.write("elsewhere/x.yaml", installation("acme/elsewhere"))
        try repo.commitAll()

        let expected = ["installation/acme/a", "installation/acme/b", "installation/acme/c", "agent/ghcr.io/acme/d"]
        let committed = try load(repo)
        #expect(committed.diagnostics.isEmpty)
        #expect(committed.addresses == expected)
        #expect(committed.fileCount == 4)
        #expect(committed.manifestSet.manifests.map(\.location.file) == [
            "manifests/a.yaml", "manifests/b.yml", "manifests/team/c.yaml", "manifests/team/deeper/d.yml",
        ])

        let working = try load(repo, workingTree: true)
        #expect(working.diagnostics.isEmpty)
        #expect(working.addresses == expected)
        #expect(working.fileCount == 4)
    }

    @Test("hidden directories are not walked unless named", arguments: [false, true])
    func hiddenDirectories(workingTree: Bool) throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
            "manifests/a.yaml": installation("acme/a"),
            ".hidden/b.yaml": installation("acme/b"),
        ])
        let root = try load(repo, workingTree: workingTree, paths: ["."])
        #expect(root.addresses == ["installation/acme/a"])
        #expect(root.errors.isEmpty)
        let named = try load(repo, workingTree: workingTree, paths: [".hidden"])
        #expect(named.addresses == ["installation/acme/b"])
    }

    @Test("the working tree leaves out files git ignores, as a commit would")
    func workingTreeIgnoresIgnoredFiles() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            ".gitignore": "*.bak.yaml\nscratch/\n",
            "manifests/a.yaml": installation("acme/a"),
            "manifests/old.bak.yaml": installation("acme/old"),
            "manifests/scratch/b.yaml": installation("acme/b"),
        ])
        let loaded = try load(repo, workingTree: true)
        #expect(loaded.addresses == ["installation/acme/a"])
        #expect(loaded.errors.isEmpty)
    }

    @Test("several documents in one file are all read, each with its own location")
    func severalDocuments() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let text = [installation("acme/one"), agent("ghcr.io/acme/two:1.0"), installation("acme/three")]
            .joined(separator: "---\n")
        try repo.commitFiles(["manifests/all.yaml": text])

        let loaded = try load(repo)
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.fileCount == 1)
        #expect(loaded.addresses == ["installation/acme/one", "agent/ghcr.io/acme/two", "installation/acme/three"])
        #expect(loaded.manifestSet.manifests.map(\.location.line) == [1, 6, 11])
        #expect(loaded.manifestSet.manifests.last?.identityLocation
                == SourceLocation(file: "manifests/all.yaml", line: 14, column: 18))
        #expect(loaded.manifestSet.count(of: .installation) == 2)
        #expect(loaded.manifestSet.count(of: .agentProvider) == 1)
    }
}
