import Testing
import Foundation
@testable import ProvsyncManifests
import ProvsyncTestSupport
import ProvsyncModel

/// Which commit a `--ref` names: HEAD by default, branches, tags, shas, ancestors and remote-tracking branches.
@Suite("Git reading: revisions")
struct GitRevisionTests {
    @Test("HEAD is read by default; the source names the repository, the ref and the full sha")
    func headByDefault() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let sha = try repo.commitFiles([
            "manifests/a.yaml": installation("acme/a"),
            "manifests/b.yaml": agent("ghcr.io/acme/research-agent:1.2.0"),
        ])

        let loaded = try ManifestLoader.load(ManifestRequest(repository: repo.path, currentDirectory: repo.scratch.path))
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.isValid)
        #expect(loaded.addresses == ["installation/acme/a", "agent/ghcr.io/acme/research-agent"])
        #expect(loaded.fileCount == 2)
        #expect(loaded.source.ref == "HEAD")
        #expect(loaded.source.commit == sha)
        #expect(sha.count == 40)
        #expect(loaded.source.shortCommit == String(sha.prefix(7)))
        #expect(loaded.source.isWorkingTree == false)
        #expect(loaded.source.repository == repo.path)
        #expect(loaded.manifestSet.warnings.isEmpty)
        #expect(loaded.manifestSet.manifests.first?.location == SourceLocation(file: "manifests/a.yaml", line: 1, column: 1))
    }

    @Test("a branch name reads that branch's commit, not the checked-out one")
    func branchName() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a"))
        let mainSHA = try repo.commitAll("main")
        try repo.git("checkout", "-q", "-b", "feature")
        try repo.write("manifests/b.yaml", installation("acme/b"))
        let featureSHA = try repo.commitAll("feature")
        try repo.checkout("main")

        let feature = try load(repo, ref: "feature")
        #expect(feature.addresses == ["installation/acme/a", "installation/acme/b"])
        #expect(feature.source.commit == featureSHA)
        #expect(feature.source.ref == "feature")

        let head = try load(repo)
        #expect(head.addresses == ["installation/acme/a"])
        #expect(head.source.commit == mainSHA)

        let qualified = try load(repo, ref: "refs/heads/feature")
        #expect(qualified.source.commit == featureSHA)
    }

    @Test("lightweight and annotated tags resolve to their commits")
    func tags() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a", version: "1.0.0"))
        let first = try repo.commitAll("v1")
        try repo.tag("v1")
        try repo.write("manifests/a.yaml", installation("acme/a", version: "2.0.0"))
        let second = try repo.commitAll("v2")
        try repo.tag("v2", message: "release 2")
        try repo.write("manifests/a.yaml", installation("acme/a", version: "3.0.0"))
        try repo.commitAll("after")

        let lightweight = try load(repo, ref: "v1")
        #expect(lightweight.version(of: "acme/a") == "1.0.0")
        #expect(lightweight.source.commit == first)
        #expect(lightweight.source.ref == "v1")

        let annotated = try load(repo, ref: "v2")
        #expect(annotated.version(of: "acme/a") == "2.0.0")
        // The commit, not the tag object.
        #expect(annotated.source.commit == second)
        #expect(try repo.git("rev-parse", "v2") != second)

        let qualified = try load(repo, ref: "refs/tags/v2")
        #expect(qualified.source.commit == second)
    }

    @Test("a full sha and a short sha read that commit")
    func shas() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a"))
        let first = try repo.commitAll("first")
        try repo.write("manifests/b.yaml", installation("acme/b"))
        try repo.commitAll("second")

        let full = try load(repo, ref: first)
        #expect(full.addresses == ["installation/acme/a"])
        #expect(full.source.commit == first)
        #expect(full.source.ref == first)

        let short = try repo.git("rev-parse", "--short", first)
        #expect(short.count < 40)
        let abbreviated = try load(repo, ref: short)
        #expect(abbreviated.addresses == ["installation/acme/a"])
        #expect(abbreviated.source.commit == first)
        #expect(abbreviated.source.ref == short)
    }

    @Test("HEAD~1 reads the older content, not the current one")
    func parentRevision() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a", version: "1.0.0"))
        try repo.write("manifests/old.yaml", installation("acme/old"))
        let first = try repo.commitAll("first")
        try repo.write("manifests/a.yaml", installation("acme/a", version: "2.0.0"))
        try repo.remove("manifests/old.yaml")
        try repo.write("manifests/new.yaml", installation("acme/new"))
        let second = try repo.commitAll("second")

        let older = try load(repo, ref: "HEAD~1")
        #expect(older.addresses == ["installation/acme/a", "installation/acme/old"])
        #expect(older.version(of: "acme/a") == "1.0.0")
        #expect(older.source.commit == first)
        #expect(older.source.commit == (try repo.sha("HEAD~1")))
        #expect(older.source.ref == "HEAD~1")

        let current = try load(repo)
        #expect(current.addresses == ["installation/acme/a", "installation/acme/new"])
        #expect(current.version(of: "acme/a") == "2.0.0")
        #expect(current.source.commit == second)

        let caret = try load(repo, ref: "HEAD^")
        #expect(caret.source.commit == first)
    }

    @Test("origin/main in a clone reads the fetched remote-tracking branch")
    func remoteTrackingBranch() throws {
        let origin = try ScratchRepository(name: "origin")
        defer { origin.delete() }
        try origin.write("manifests/a.yaml", installation("acme/a"))
        let first = try origin.commitAll("first")
        let clone = try origin.clone(named: "clone")
        try origin.write("manifests/b.yaml", installation("acme/b"))
        let second = try origin.commitAll("second")
        try clone.git("fetch", "-q", "origin")
        #expect(try clone.sha("origin/main") == second)

        let remote = try load(clone, ref: "origin/main")
        #expect(remote.addresses == ["installation/acme/a", "installation/acme/b"])
        #expect(remote.source.commit == second)
        #expect(remote.source.ref == "origin/main")
        #expect(remote.source.repository == clone.path)

        let local = try load(clone)
        #expect(local.addresses == ["installation/acme/a"])
        #expect(local.source.commit == first)
    }

    @Test("a revision naming a tree, not a commit, is an error")
    func revisionNotACommit() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles(["manifests/a.yaml": installation("acme/a")])
        let error = try #require(loadError(repo, ref: "HEAD^{tree}"))
        #expect(error.diagnostics.count == 1)
        #expect(error.diagnostics.first?.severity == .error)
        #expect(error.description.contains("revision 'HEAD^{tree}' does not name a commit"))
    }
}
