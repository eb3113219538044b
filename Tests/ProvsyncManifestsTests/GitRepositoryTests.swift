import Testing
import Foundation
@testable import ProvsyncManifests
import ProvsyncTestSupport
import ProvsyncModel

/// Reading the working tree (`--worktree`), linked worktrees and bare repositories, finding the repository, and
/// the errors that stop a read: no repository, an unknown revision, no commits, shallow and partial clones.
@Suite("Git reading: working trees and special repositories")
struct GitRepositoryTests {
    // MARK: Working tree

    @Test("uncommitted, staged and untracked changes do not affect a commit read; --worktree reads them")
    func dirtyWorkingTree() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let sha = try repo.commitFiles([
            "manifests/a.yaml": installation("acme/a", version: "1.0.0"),
            "manifests/gone.yaml": installation("acme/gone"),
        ])
        try repo.write("manifests/a.yaml", installation("acme/a", version: "9.9.9"))
        try repo.remove("manifests/gone.yaml")
        try repo.write("manifests/untracked.yaml", installation("acme/untracked"))
        try repo.write("manifests/staged.yaml", installation("acme/staged"))
        try repo.git("add", "manifests/staged.yaml")
        #expect(try repo.git("status", "--porcelain").isEmpty == false)

        let committed = try load(repo)
        #expect(committed.diagnostics.map(\.message) == [
            "manifests/a.yaml and 3 more have uncommitted changes, which this reads past: it reads HEAD "
                + "(\(sha.prefix(7))); commit them, or pass --worktree to read the working tree",
        ], "the one warning that the working tree differs")
        #expect(committed.addresses == ["installation/acme/a", "installation/acme/gone"])
        #expect(committed.version(of: "acme/a") == "1.0.0")
        #expect(committed.fileCount == 2)
        #expect(committed.source.commit == sha)
        #expect(committed.source.isWorkingTree == false)

        let working = try load(repo, workingTree: true)
        #expect(working.diagnostics.isEmpty)
        #expect(working.addresses == ["installation/acme/a", "installation/acme/staged", "installation/acme/untracked"])
        #expect(working.version(of: "acme/a") == "9.9.9")
        #expect(working.fileCount == 3)
        #expect(working.source.isWorkingTree)
        #expect(working.source.commit == sha)
        #expect(working.source.repository == repo.path)
    }

    @Test("--worktree works in a repository with no commits yet; its source has no commit")
    func workingTreeWithoutCommits() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a"))
        let loaded = try load(repo, workingTree: true)
        #expect(loaded.addresses == ["installation/acme/a"])
        #expect(loaded.source.isWorkingTree)
        #expect(loaded.source.commit == nil)
        #expect(loaded.diagnostics.isEmpty)
    }

    @Test("a linked worktree (git worktree add) reads its own HEAD and its own files")
    func linkedWorktree() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let mainSHA = try repo.commitFiles(["manifests/a.yaml": installation("acme/a")])
        let linked = try repo.addWorktree(named: "linked", branch: "feature")
        try linked.git("rm", "-q", "manifests/a.yaml")
        try linked.write("manifests/b.yaml", installation("acme/b"))
        let featureSHA = try linked.commitAll("feature")
        #expect(try repo.sha("feature") == featureSHA)
        #expect(try repo.sha("HEAD") == mainSHA)

        let fromLinked = try load(linked)
        #expect(fromLinked.addresses == ["installation/acme/b"])
        #expect(fromLinked.source.commit == featureSHA)
        #expect(fromLinked.source.repository == linked.path)
        let fromMain = try load(repo)
        #expect(fromMain.addresses == ["installation/acme/a"])
        #expect(fromMain.source.commit == mainSHA)

        try linked.write("manifests/c.yaml", installation("acme/c"))
        let working = try load(linked, workingTree: true)
        #expect(working.addresses == ["installation/acme/b", "installation/acme/c"])
        #expect(working.source.commit == featureSHA)
    }

    // MARK: Bare repositories

    @Test("a bare clone reads the same manifests at the same commit")
    func bareRepository() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let sha = try repo.commitFiles([
            "manifests/a.yaml": installation("acme/a"),
            "manifests/team/b.yml": agent("ghcr.io/acme/b:1"),
        ])
        let bare = try repo.clone(named: "bare.git", bare: true)
        #expect(try bare.git("rev-parse", "--is-bare-repository") == "true")

        let fromClone = try load(bare)
        let fromOriginal = try load(repo)
        #expect(fromClone.diagnostics.isEmpty)
        #expect(fromClone.addresses == ["installation/acme/a", "agent/ghcr.io/acme/b"])
        #expect(fromClone.addresses == fromOriginal.addresses)
        #expect(fromClone.manifestSet.manifests == fromOriginal.manifestSet.manifests)
        #expect(fromClone.source.commit == sha)
        #expect(fromClone.source.repository == bare.path)
        #expect(fromClone.source.isWorkingTree == false)

        let byBranch = try load(bare, ref: "main")
        #expect(byBranch.source.commit == sha)

        let discovered = try ManifestLoader.load(ManifestRequest(
            repository: nil, currentDirectory: bare.url.appendingPathComponent("refs").path
        ))
        #expect(discovered.source.commit == sha)
        #expect(discovered.source.repository == bare.path)
    }

    @Test("--worktree on a bare repository throws: it has no working tree")
    func bareRepositoryWorkingTree() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles(["manifests/a.yaml": installation("acme/a")])
        let bare = try repo.clone(named: "bare.git", bare: true)
        let error = try #require(loadError(bare, workingTree: true))
        #expect(error.diagnostics.count == 1)
        #expect(error.diagnostics.first?.severity == .error)
        #expect(error.description.contains("has no working tree"))
        #expect(error.description.contains("bare repository"))
        #expect(error.description.contains(bare.path))
    }

    // MARK: Finding the repository

    @Test("without --repo the repository is discovered from a subdirectory; paths stay relative to its root")
    func discoveryFromSubdirectory() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let sha = try repo.commitFiles([
            "manifests/a.yaml": installation("acme/a"),
            "sub/dir/notes.txt": "not a manifest\n",
        ])
        let loaded = try ManifestLoader.load(ManifestRequest(
            repository: nil, currentDirectory: repo.url.appendingPathComponent("sub/dir").path
        ))
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.addresses == ["installation/acme/a"])
        #expect(loaded.source.commit == sha)
        #expect(loaded.source.repository == repo.path)

        let root = try ManifestLoader.load(ManifestRequest(repository: nil, currentDirectory: repo.path))
        #expect(root.addresses == ["installation/acme/a"])
    }

    @Test("--repo may be relative to the current directory")
    func relativeRepositoryPath() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let sha = try repo.commitFiles([
            "manifests/a.yaml": installation("acme/a"),
            "sub/dir/notes.txt": "not a manifest\n",
        ])

        let relative = try ManifestLoader.load(ManifestRequest(repository: "repo", currentDirectory: repo.scratch.path))
        #expect(relative.addresses == ["installation/acme/a"])
        #expect(relative.source.commit == sha)
        #expect(relative.source.repository == repo.path)

        let dotted = try ManifestLoader.load(ManifestRequest(
            repository: "./repo", currentDirectory: repo.scratch.path + "/"
        ))
        #expect(dotted.source.commit == sha)

        let upward = try ManifestLoader.load(ManifestRequest(
            repository: "../..", currentDirectory: repo.url.appendingPathComponent("sub/dir").path
        ))
        #expect(upward.source.commit == sha)
        #expect(upward.addresses == ["installation/acme/a"])

        let inside = try ManifestLoader.load(ManifestRequest(repository: "repo/sub/dir", currentDirectory: repo.scratch.path))
        #expect(inside.source.commit == sha)
        #expect(inside.source.repository == repo.path)
    }

    // MARK: Errors that stop the read

    @Test("a directory outside any repository throws 'no git repository'")
    func noRepository() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let plain = try repo.sibling("plain")
        let discovered = try #require(loadError(ManifestRequest(currentDirectory: plain.path)))
        #expect(discovered.diagnostics.count == 1)
        #expect(discovered.diagnostics.first?.severity == .error)
        #expect(discovered.description.contains("no git repository"))
        #expect(discovered.description.contains(plain.path))

        let explicit = try #require(loadError(ManifestRequest(repository: plain.path, currentDirectory: repo.path)))
        #expect(explicit.description.contains("no git repository"))

        let missing = try #require(loadError(ManifestRequest(repository: "does-not-exist",
                                                             currentDirectory: plain.path)))
        #expect(missing.description.contains("no git repository"))
    }

    @Test("an unknown revision throws naming it, without a shallow-clone hint in a full clone")
    func unknownRevision() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles(["manifests/a.yaml": installation("acme/a")])
        let error = try #require(loadError(repo, ref: "nope"))
        #expect(error.diagnostics.count == 1)
        #expect(error.diagnostics.first?.severity == .error)
        #expect(error.diagnostics.first?.location == nil)
        #expect(error.description.contains("unknown revision 'nope'"))
        #expect(error.description.contains(repo.path))
        #expect(!error.description.contains("shallow"))

        let beyond = try #require(loadError(repo, ref: "HEAD~5"))
        #expect(beyond.description.contains("unknown revision 'HEAD~5'"))
        #expect(!beyond.description.contains("shallow"))

        let missingSHA = String(repeating: "0", count: 39) + "1"
        let absent = try #require(loadError(repo, ref: missingSHA))
        #expect(absent.description.contains("unknown revision '\(missingSHA)'"))
    }

    @Test("a repository with no commits throws 'no commits yet'")
    func emptyRepository() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a"))
        let error = try #require(loadError(repo))
        #expect(error.diagnostics.count == 1)
        #expect(error.description.contains("no commits yet"))
        #expect(error.description.contains(repo.path))
        #expect(error.description.contains("--worktree"))
    }

    @Test("HEAD on an orphan branch names the branch instead of claiming the repository has no commits")
    func orphanBranch() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let sha = try repo.commitFiles(["manifests/a.yaml": installation("acme/a")])
        try repo.git("checkout", "-q", "--orphan", "orphan")

        let error = try #require(loadError(repo))
        #expect(error.description.contains("no commits yet"))
        #expect(error.description.contains("orphan"))
        #expect(!error.description.contains("repository at \(repo.path) has no commits yet"))
        // The other branch still reads.
        #expect(try load(repo, ref: "main").source.commit == sha)
    }

    @Test("an older sha in a shallow clone throws with a shallow-clone hint; HEAD still reads")
    func shallowClone() throws {
        let origin = try ScratchRepository(name: "origin")
        defer { origin.delete() }
        try origin.write("manifests/a.yaml", installation("acme/a", version: "1.0.0"))
        let first = try origin.commitAll("first")
        try origin.write("manifests/a.yaml", installation("acme/a", version: "2.0.0"))
        try origin.commitAll("second")
        try origin.write("manifests/a.yaml", installation("acme/a", version: "3.0.0"))
        let third = try origin.commitAll("third")
        let shallow = try origin.clone(named: "shallow", depth: 1)
        #expect(try shallow.git("rev-parse", "--is-shallow-repository") == "true")

        let head = try load(shallow)
        #expect(head.source.commit == third)
        #expect(head.version(of: "acme/a") == "3.0.0")

        let error = try #require(loadError(shallow, ref: first))
        #expect(error.diagnostics.count == 1)
        #expect(error.description.contains("unknown revision '\(first)'"))
        #expect(error.description.contains("shallow clone"))

        let parent = try #require(loadError(shallow, ref: "HEAD~1"))
        #expect(parent.description.contains("shallow clone"))
    }

    @Test("a blob missing from a partial clone is an error naming the file's path")
    func partialClone() throws {
        let origin = try ScratchRepository(name: "origin")
        defer { origin.delete() }
        try origin.git("config", "uploadpack.allowFilter", "true")
        try origin.write("manifests/a.yaml", installation("acme/a", version: "1.0.0"))
        let first = try origin.commitAll("first")
        try origin.write("manifests/a.yaml", installation("acme/a", version: "2.0.0"))
        try origin.commitAll("second")
        let partial = try origin.clone(named: "partial", filter: "blob:none")

        #expect(try load(partial).version(of: "acme/a") == "2.0.0")
        // Either a thrown error or an error diagnostic will do, as long as it names the file by its path.
        do {
            let loaded = try load(partial, ref: first)
            #expect(loaded.manifestSet.manifests.isEmpty)
            #expect(loaded.errors.contains { $0.location?.file == "manifests/a.yaml" || $0.message.contains("manifests/a.yaml") },
                    "\(loaded.diagnostics)")
        } catch {
            #expect(String(describing: error).contains("manifests/a.yaml"), "\(error)")
        }
    }
}
