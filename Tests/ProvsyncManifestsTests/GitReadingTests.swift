import Testing
import Foundation
@testable import ProvsyncManifests
import ProvsyncTestSupport
import ProvsyncModel

// MARK: - Helpers

private func installation(_ providerName: String, version: String? = nil) -> String {
    var text = "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: \(providerName)\n"
    if let version { text += "  version: \"\(version)\"\n" }
    return text
}

private func agent(_ location: String) -> String {
    "apiVersion: provsync/v1\nkind: AgentProvider\nspec:\n  location: \(location)\n"
}

/// Reads `repo` the way `--repo <path>` would, from a current directory outside of it.
private func load(
    _ repo: ScratchRepository, ref: String = "HEAD", workingTree: Bool = false, paths: [String] = []
) throws -> LoadedManifests {
    try ManifestLoader.load(ManifestRequest(
        repository: repo.path, ref: ref, workingTree: workingTree, paths: paths, currentDirectory: repo.scratch.path
    ))
}

/// The error `load` throws, or nil when it does not throw.
private func loadError(_ request: ManifestRequest) -> DiagnosticsError? {
    do {
        _ = try ManifestLoader.load(request)
        return nil
    } catch {
        return error
    }
}

private func loadError(
    _ repo: ScratchRepository, ref: String = "HEAD", workingTree: Bool = false, paths: [String] = []
) -> DiagnosticsError? {
    loadError(ManifestRequest(
        repository: repo.path, ref: ref, workingTree: workingTree, paths: paths, currentDirectory: repo.scratch.path
    ))
}

private extension LoadedManifests {
    var addresses: [String] { manifestSet.manifests.map(\.address.description) }
    var source: ManifestSource { manifestSet.source }
    var errors: [Diagnostic] { diagnostics.errors }
    var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// The pinned version of the installation `providerName`, "-" when it has none, nil when it is absent.
    func version(of providerName: String) -> String? {
        for manifest in manifestSet.manifests {
            if case .installation(let installation) = manifest.body, installation.providerName == providerName {
                return installation.version ?? "-"
            }
        }
        return nil
    }
}

/// `count` bytes: `text` followed by YAML comment lines.
private func padded(_ text: String, toBytes count: Int) -> Data {
    var result = text
    var remaining = count - text.utf8.count
    precondition(remaining > 100)
    let line = "#" + String(repeating: "x", count: 78) + "\n"
    while remaining > 100 {
        result += line
        remaining -= line.utf8.count
    }
    result += "#" + String(repeating: "y", count: remaining - 2) + "\n"
    let data = Data(result.utf8)
    precondition(data.count == count)
    return data
}

// MARK: - Tests

@Suite("Git reading")
struct GitReadingTests {
    // MARK: Revisions

    @Test("HEAD is read by default; the source names the repository, the ref and the full sha")
    func headByDefault() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.write("manifests/b.yaml", agent("ghcr.io/acme/research-agent:1.2.0"))
        let sha = try repo.commitAll()

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
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.commitAll()
        let error = try #require(loadError(repo, ref: "HEAD^{tree}"))
        #expect(error.diagnostics.count == 1)
        #expect(error.diagnostics.first?.severity == .error)
        #expect(error.description.contains("revision 'HEAD^{tree}' does not name a commit"))
    }

    // MARK: Working tree

    @Test("uncommitted, staged and untracked changes do not affect a commit read; --worktree reads them")
    func dirtyWorkingTree() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a", version: "1.0.0"))
        try repo.write("manifests/gone.yaml", installation("acme/gone"))
        let sha = try repo.commitAll()
        try repo.write("manifests/a.yaml", installation("acme/a", version: "9.9.9"))
        try repo.remove("manifests/gone.yaml")
        try repo.write("manifests/untracked.yaml", installation("acme/untracked"))
        try repo.write("manifests/staged.yaml", installation("acme/staged"))
        try repo.git("add", "manifests/staged.yaml")
        #expect(try repo.git("status", "--porcelain").isEmpty == false)

        let committed = try load(repo)
        #expect(committed.diagnostics.isEmpty)
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
        try repo.write("manifests/a.yaml", installation("acme/a"))
        let mainSHA = try repo.commitAll()
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
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.write("manifests/team/b.yml", agent("ghcr.io/acme/b:1"))
        let sha = try repo.commitAll()
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
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.commitAll()
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
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.write("sub/dir/notes.txt", "not a manifest\n")
        let sha = try repo.commitAll()
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
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.write("sub/dir/notes.txt", "not a manifest\n")
        let sha = try repo.commitAll()

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
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.commitAll()
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

    // MARK: Manifest paths

    @Test("a --path that does not exist at the commit is an error diagnostic, not a thrown error")
    func missingPath() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a"))
        let sha = try repo.commitAll()
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
        try repo.write("README.md", "hello\n")
        try repo.commitAll()
        let loaded = try load(repo)
        #expect(loaded.errors.count == 1)
        #expect(loaded.errors.first?.message.contains("'manifests/' does not exist") == true)
        #expect(loaded.fileCount == 0)
    }

    @Test("a path with no *.yaml or *.yml files is an error diagnostic saying 'no manifests'")
    func pathWithoutManifests() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("docs/README.md", "# docs\n")
        try repo.write("docs/schema.json", "{}\n")
        try repo.write("docs/deep/notes.txt", "notes\n")
        try repo.write("manifests/a.yaml", installation("acme/a"))
        let sha = try repo.commitAll()

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

    @Test("a path escaping the repository is an error diagnostic; the other paths are still read")
    func escapingPath() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.commitAll()
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

        try repo.write("provsync.yaml", "paths: [../x]\n")
        try repo.commitAll()
        let configured = try load(repo)
        #expect(configured.errors.count == 1)
        #expect(configured.errors.first?.message.contains("'../x' must be relative and inside the repository") == true)
        #expect(configured.manifestSet.manifests.isEmpty)
    }

    @Test("a single-file path reads only that file")
    func singleFilePath() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.write("manifests/b.yaml", installation("acme/b"))
        try repo.commitAll()

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
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.commitAll()
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

    @Test("several documents in one file are all read, each with its own location")
    func severalDocuments() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let text = [installation("acme/one"), agent("ghcr.io/acme/two:1.0"), installation("acme/three")]
            .joined(separator: "---\n")
        try repo.write("manifests/all.yaml", text)
        try repo.commitAll()

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

    // MARK: provsync.yaml

    @Test("paths: from provsync.yaml is used when no path is requested; requested paths win")
    func configurationPaths() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("provsync.yaml", "paths: [infra/providers, extra.yaml]\nparallelism: 4\n")
        try repo.write("infra/providers/p.yaml", installation("acme/p"))
        try repo.write("extra.yaml", installation("acme/extra"))
        try repo.write("manifests/m.yaml", installation("acme/m"))
        try repo.commitAll()

        let configured = try load(repo)
        #expect(configured.diagnostics.isEmpty)
        #expect(configured.configuration.paths == ["infra/providers", "extra.yaml"])
        #expect(configured.configuration.parallelism == 4)
        #expect(configured.addresses == ["installation/acme/extra", "installation/acme/p"])

        let explicit = try load(repo, paths: ["manifests"])
        #expect(explicit.diagnostics.isEmpty)
        #expect(explicit.addresses == ["installation/acme/m"])
        #expect(explicit.configuration.paths == ["infra/providers", "extra.yaml"])
    }

    @Test("provsync.yaml is read at the commit, not from the working tree")
    func configurationAtCommit() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("provsync.yaml", "paths: [one]\n")
        try repo.write("one/a.yaml", installation("acme/one"))
        try repo.write("two/b.yaml", installation("acme/two"))
        try repo.commitAll()
        try repo.write("provsync.yaml", "paths: [two]\n")

        let committed = try load(repo)
        #expect(committed.addresses == ["installation/acme/one"])
        let working = try load(repo, workingTree: true)
        #expect(working.addresses == ["installation/acme/two"])
    }

    @Test("provsync.yaml is never read as a manifest, even when the path is the repository root")
    func configurationIsNotAManifest() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("provsync.yaml", "api: https://platform.example.com\nparallelism: 2\n")
        try repo.write("root.yaml", installation("acme/root"))
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.write("nested/provsync.yaml", installation("acme/nested"))
        try repo.commitAll()

        let expected = ["installation/acme/a", "installation/acme/nested", "installation/acme/root"]
        for path in [".", "./"] {
            let loaded = try load(repo, paths: [path])
            #expect(loaded.diagnostics.isEmpty, "path \(path)")
            #expect(loaded.addresses == expected, "path \(path)")
            #expect(loaded.fileCount == 3, "path \(path)")
            #expect(loaded.configuration.apiURL == "https://platform.example.com")
        }
        let working = try load(repo, workingTree: true, paths: ["."])
        #expect(working.diagnostics.isEmpty)
        #expect(working.addresses == expected)

        try repo.write("provsync.yaml", "paths: [.]\n")
        try repo.commitAll()
        let configured = try load(repo)
        #expect(configured.diagnostics.isEmpty)
        #expect(configured.addresses == expected)
    }

    @Test("an unknown key in provsync.yaml is an error located in provsync.yaml")
    func invalidConfiguration() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("provsync.yaml", "parallelism: 4\npathz: [infra]\n")
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.commitAll()

        let loaded = try load(repo)
        #expect(!loaded.isValid)
        #expect(loaded.errors.count == 1)
        let error = try #require(loaded.errors.first)
        #expect(error.location == SourceLocation(file: "provsync.yaml", line: 2, column: 1))
        #expect(error.message.contains("unknown field \"pathz\""))
        #expect(error.message.contains("did you mean \"paths\"?"))
        #expect(error.description.hasPrefix("provsync.yaml:2:1: error: "))
    }

    @Test("a wrongly typed provsync.yaml value is located at its line and column")
    func invalidConfigurationValue() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("provsync.yaml", "paths: [manifests]\nparallelism: 0\n")
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.commitAll()
        let loaded = try load(repo)
        #expect(loaded.errors.count == 1)
        #expect(loaded.errors.first?.location == SourceLocation(file: "provsync.yaml", line: 2, column: 14))
        #expect(loaded.addresses == ["installation/acme/a"])
    }

    // MARK: Symlinks and submodules

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
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.commitAll()
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

    @Test("a submodule under the manifest path is a warning and is not followed, at the commit and in the working tree")
    func submodule() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let library = try ScratchRepository(scratch: repo.scratch, name: "library")
        try library.write("sub.yaml", installation("acme/sub"))
        try library.commitAll()
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.commitAll()
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
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.commitAll()
        let nested = try ScratchRepository(scratch: repo.scratch, name: "repo/manifests/nested")
        try nested.write("n.yaml", installation("acme/nested"))

        let loaded = try load(repo, workingTree: true)
        #expect(loaded.addresses == ["installation/acme/a"])
        #expect(loaded.warnings.map(\.location) == [.file("manifests/nested")])
        #expect(loaded.warnings.first?.message.contains("submodule") == true)
    }

    // MARK: Size limit

    @Test("a manifest over 1 MiB is refused with an error at that file; the other files are still read")
    func oversizeFile() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let size = (1 << 20) + 1
        try repo.write("manifests/big.yaml", bytes: padded(installation("acme/big"), toBytes: size))
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.write("manifests/z.yaml", installation("acme/z"))
        try repo.commitAll()

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
        try repo.write("manifests/a.yaml", installation("acme/dup"))
        try repo.write("manifests/b.yaml", agent("ghcr.io/acme/other:1") + "---\n" + installation("acme/dup"))
        try repo.commitAll()

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
        try repo.write("manifests/a.yaml", agent("ghcr.io/acme/agent:1.0"))
        try repo.write("manifests/c/c.yaml", agent("ghcr.io/acme/agent:2.0"))
        try repo.commitAll()

        let loaded = try load(repo)
        #expect(loaded.errors.count == 1)
        let error = try #require(loaded.errors.first)
        #expect(error.location?.file == "manifests/c/c.yaml")
        #expect(error.message.hasPrefix("agent/ghcr.io/acme/agent is defined twice: here and at manifests/a.yaml:"))
    }

    // MARK: Edge cases

    @Test("a path with no manifests is reported even when an earlier path's warning starts with the same text")
    func noManifestsBesidePrefixSibling() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("a.yaml", installation("acme/a"))
        try repo.symlink("docsx/link.yaml", to: "../a.yaml")
        try repo.write("docs/README.md", "# docs\n")
        let sha = try repo.commitAll()

        let loaded = try load(repo, paths: ["docsx", "docs"])
        #expect(loaded.warnings.map(\.location) == [.file("docsx/link.yaml")])
        // A path whose only entry is a skipped symlink has no manifests either.
        #expect(loaded.errors.map(\.message) == [
            "no manifests (*.yaml, *.yml) under 'docsx' at HEAD (\(sha.prefix(7)))",
            "no manifests (*.yaml, *.yml) under 'docs' at HEAD (\(sha.prefix(7)))",
        ])
    }

    @Test("provsync.yaml named as a path is not decoded as a manifest")
    func configurationNamedAsPath() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("provsync.yaml", "paths: [manifests]\n")
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.commitAll()

        let loaded = try load(repo, paths: ["provsync.yaml", "manifests"])
        #expect(loaded.addresses == ["installation/acme/a"])
        #expect(loaded.fileCount == 1)
        // No manifest errors ("missing required field apiVersion", ...) located in provsync.yaml.
        #expect(loaded.diagnostics.allSatisfy { $0.location?.file != "provsync.yaml" })
    }

    @Test("a symlinked provsync.yaml is reported, not silently ignored")
    func configurationSymlink() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("config/provsync.yaml", "paths: [infra]\n")
        try repo.symlink("provsync.yaml", to: "config/provsync.yaml")
        try repo.write("infra/a.yaml", installation("acme/a"))
        try repo.write("manifests/m.yaml", installation("acme/m"))
        try repo.commitAll()

        for workingTree in [false, true] {
            let loaded = try load(repo, workingTree: workingTree)
            #expect(loaded.warnings.map(\.location) == [.file("provsync.yaml")], "workingTree: \(workingTree)")
            #expect(loaded.warnings.first?.message.contains("symlink") == true)
        }
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

    @Test("in the working tree, a path into a submodule is not followed (as at a commit)")
    func workingTreePathIntoSubmodule() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let library = try ScratchRepository(scratch: repo.scratch, name: "library")
        try library.write("sub.yaml", installation("acme/sub"))
        try library.commitAll()
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

    @Test("HEAD on an orphan branch names the branch instead of claiming the repository has no commits")
    func orphanBranch() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", installation("acme/a"))
        let sha = try repo.commitAll()
        try repo.git("checkout", "-q", "--orphan", "orphan")

        let error = try #require(loadError(repo))
        #expect(error.description.contains("no commits yet"))
        #expect(error.description.contains("orphan"))
        #expect(!error.description.contains("repository at \(repo.path) has no commits yet"))
        // The other branch still reads.
        #expect(try load(repo, ref: "main").source.commit == sha)
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

@Suite("Manifest paths")
struct ManifestPathTests {
    @Test("the working tree leaves out files git ignores, as a commit would")
    func workingTreeIgnoresIgnoredFiles() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write(".gitignore", "*.bak.yaml\nscratch/\n")
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.write("manifests/old.bak.yaml", installation("acme/old"))
        try repo.write("manifests/scratch/b.yaml", installation("acme/b"))
        try repo.commitAll()
        let loaded = try load(repo, workingTree: true)
        #expect(loaded.addresses == ["installation/acme/a"])
        #expect(loaded.errors.isEmpty)
    }

    @Test("hidden directories are not walked unless named", arguments: [false, true])
    func hiddenDirectories(workingTree: Bool) throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write(".github/workflows/ci.yml", "on: push\njobs: {}\n")
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.write(".hidden/b.yaml", installation("acme/b"))
        try repo.commitAll()
        let root = try load(repo, workingTree: workingTree, paths: ["."])
        #expect(root.addresses == ["installation/acme/a"])
        #expect(root.errors.isEmpty)
        let named = try load(repo, workingTree: workingTree, paths: [".hidden"])
        #expect(named.addresses == ["installation/acme/b"])
    }

    @Test("a path whose files hold no documents is an error")
    func onlyEmptyDocuments() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/empty.yaml", "# nothing yet\n---\n")
        let sha = try repo.commitAll()
        let loaded = try load(repo)
        #expect(loaded.errors.map(\.message) == [
            "no manifests under 'manifests/' at HEAD (\(sha.prefix(7))): its files hold no documents",
        ])
    }

    @Test("problems with paths named in provsync.yaml are reported at their place there")
    func configuredPathErrors() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("provsync.yaml", "paths:\n  - manifests\n  - missing\n  - ../outside\n")
        try repo.write("manifests/a.yaml", installation("acme/a"))
        let sha = try repo.commitAll()
        let loaded = try load(repo)
        #expect(loaded.errors.map(\.description) == [
            "provsync.yaml:3:5: error: manifest path 'missing' does not exist at HEAD (\(sha.prefix(7)))",
            "provsync.yaml:4:5: error: manifest path '../outside' must be relative and inside the repository",
        ])
    }

    @Test("a provsync.yaml that is not a mapping says what it must be")
    func configurationNotAMapping() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("provsync.yaml", "- manifests\n")
        try repo.write("manifests/a.yaml", installation("acme/a"))
        try repo.commitAll()
        let loaded = try load(repo)
        #expect(loaded.errors.map(\.description) == [
            "provsync.yaml:1:1: error: provsync.yaml must be a mapping of api, paths, parallelism, not a list",
        ])
    }
}
