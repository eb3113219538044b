import Testing
import Foundation
@testable import ProvsyncManifests
import ProvsyncTestSupport
import ProvsyncModel

/// Symlinks, submodules and nested repositories are warned about and never followed, at a commit or in the
/// working tree; an executable file is read like any other.
@Suite("Git reading: symlinks, submodules and file modes")
struct GitLinkTests {
    // MARK: Symlinks

    @Test("a committed symlink is a warning at the link and is not followed")
    func committedSymlink() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.symlink("manifests/x.yaml", to: "a.yaml")
        try repo.write("other/o.yaml", installation("acme/other"))
        try repo.symlink("manifests/linked", to: "../other")
        try repo.commitAll()
        #expect(try repo.git("ls-files", "-s", "manifests/x.yaml").hasPrefix("120000 "))

        let loaded = try load(repo)
        #expect(loaded.isValid)
        #expect(loaded.addresses == ["installation/acme/a"])
        #expect(loaded.fileCount == 1)
        #expect(loaded.warnings.count == 2)
        #expect(loaded.warnings.map(\.location) == [.file("manifests/linked"), .file("manifests/x.yaml")])
        #expect(loaded.warnings.allSatisfy { $0.severity == .warning && $0.message.contains("symlink") })
        #expect(loaded.manifestSet.warnings == loaded.warnings)

        let direct = try load(repo, paths: ["manifests/x.yaml"])
        #expect(direct.manifestSet.manifests.isEmpty)
        #expect(direct.warnings.map(\.location) == [.file("manifests/x.yaml")])
    }

    @Test("a symlink in the working tree is a warning at the link and is not followed")
    func workingTreeSymlink() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles(["manifests/a.yaml": installation("acme/a")])
        try repo.symlink("manifests/x.yaml", to: "a.yaml")
        try repo.write("other/o.yaml", installation("acme/other"))
        try repo.symlink("manifests/linked", to: "../other")
        try repo.symlink("manifests/dangling.yaml", to: "nowhere.yaml")

        let loaded = try load(repo, workingTree: true)
        #expect(loaded.isValid)
        #expect(loaded.addresses == ["installation/acme/a"])
        #expect(loaded.fileCount == 1)
        #expect(loaded.warnings.map(\.location) == [
            .file("manifests/dangling.yaml"), .file("manifests/linked"), .file("manifests/x.yaml"),
        ])
        #expect(loaded.warnings.allSatisfy { $0.severity == .warning && $0.message.contains("symlink") })

        let direct = try load(repo, workingTree: true, paths: ["manifests/x.yaml"])
        #expect(direct.manifestSet.manifests.isEmpty)
        #expect(direct.warnings.map(\.location) == [.file("manifests/x.yaml")])
    }

    @Test("in the working tree, a path through a symlinked directory is not followed (as at a commit)")
    func workingTreePathThroughSymlink() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a"))
        let outside = try repo.sibling("outside")
        try Data(installation("acme/outside").utf8).write(to: outside.appendingPathComponent("o.yaml"))
        try repo.symlink("linked", to: outside.path)
        try repo.commitAll()

        let committed = try load(repo, paths: ["linked/o.yaml"])
        #expect(committed.manifestSet.manifests.isEmpty)
        #expect(!committed.isValid)

        let working = try load(repo, workingTree: true, paths: ["linked/o.yaml"])
        #expect(working.manifestSet.manifests.isEmpty)
        #expect(working.fileCount == 0)
    }

    // MARK: Submodules and nested repositories

    @Test("a submodule under the manifest path is a warning and is not followed, at the commit and in the working tree")
    func submodule() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let library = try ScratchRepository(scratch: repo.scratch, name: "library")
        try library.commitFiles(["sub.yaml": installation("acme/sub")])
        try repo.commitFiles(["manifests/a.yaml": installation("acme/a")])
        try repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q",
                     library.url.absoluteString, "manifests/vendor")
        try repo.commitAll("submodule")
        #expect(try repo.git("ls-files", "-s", "manifests/vendor").hasPrefix("160000 "))
        #expect(FileManager.default.fileExists(atPath: repo.path + "/manifests/vendor/sub.yaml"))

        for workingTree in [false, true] {
            let loaded = try load(repo, workingTree: workingTree)
            #expect(loaded.isValid, "workingTree: \(workingTree)")
            #expect(loaded.addresses == ["installation/acme/a"], "workingTree: \(workingTree)")
            #expect(loaded.warnings.count == 1, "workingTree: \(workingTree)")
            let warning = try #require(loaded.warnings.first)
            #expect(warning.severity == .warning)
            #expect(warning.location == .file("manifests/vendor"))
            #expect(warning.message.contains("submodule"))
        }
    }

    @Test("a nested repository in the working tree is treated like a submodule")
    func nestedRepositoryInWorkingTree() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles(["manifests/a.yaml": installation("acme/a")])
        let nested = try ScratchRepository(scratch: repo.scratch, name: "repo/manifests/nested")
        try nested.write("n.yaml", installation("acme/nested"))

        let loaded = try load(repo, workingTree: true)
        #expect(loaded.addresses == ["installation/acme/a"])
        #expect(loaded.warnings.map(\.location) == [.file("manifests/nested")])
        #expect(loaded.warnings.first?.message.contains("submodule") == true)
    }

    @Test("in the working tree, a path into a submodule is not followed (as at a commit)")
    func workingTreePathIntoSubmodule() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let library = try ScratchRepository(scratch: repo.scratch, name: "library")
        try library.commitFiles(["sub.yaml": installation("acme/sub")])
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q",
                     library.url.absoluteString, "manifests/vendor")
        try repo.commitAll()

        let committed = try load(repo, paths: ["manifests/vendor/sub.yaml"])
        #expect(committed.manifestSet.manifests.isEmpty)

        let working = try load(repo, workingTree: true, paths: ["manifests/vendor/sub.yaml"])
        #expect(working.manifestSet.manifests.isEmpty)
        #expect(working.fileCount == 0)
    }

    // MARK: File modes

    @Test("an executable manifest file (mode 100755) is read like any other")
    func executableFile() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755],
                                              ofItemAtPath: repo.path + "/manifests/a.yaml")
        try repo.commitAll()
        #expect(try repo.git("ls-files", "-s", "manifests/a.yaml").hasPrefix("100755 "))
        let loaded = try load(repo)
        #expect(loaded.addresses == ["installation/acme/a"])
        #expect(loaded.diagnostics.isEmpty)
    }
}
