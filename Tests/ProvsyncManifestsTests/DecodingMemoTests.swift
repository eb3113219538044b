import Testing
@testable import ProvsyncManifests
import ProvsyncModel
import ProvsyncTestSupport

private func installationText(_ name: String, version: String = "1.0.0") -> String {
    "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: acme/\(name)\n  version: \"\(version)\"\n"
}

private func agentText(_ name: String, timeout: Int) -> String {
    "apiVersion: provsync/v1\nkind: AgentProvider\nspec:\n  location: ghcr.io/acme/\(name):1.0.0\n"
        + "  auto_stop_timeout_sec: \(timeout)\n"
}

/// The ref (`HEAD`, or the working tree) read keeping a memo, then the base (`HEAD~1`) read through a
/// recording tree with that memo, and the base read plainly: what a `plan --base` does, and what it must equal.
private func loadBase(
    _ repo: ScratchRepository, environment: String? = nil, workingTree: Bool = false
) throws -> (memoized: LoadedManifests, plain: LoadedManifests, readFiles: [String], memoFiles: Int) {
    var request = ManifestRequest(repository: repo.path, workingTree: workingTree, currentDirectory: repo.scratch.path,
                                  environment: environment)
    request.keepsMemo = true
    let ref = try ManifestLoader.load(request)
    let memo = try #require(ref.memo)
    var baseRequest = request
    baseRequest.ref = "HEAD~1"
    baseRequest.workingTree = false
    baseRequest.keepsMemo = false
    let plain = try ManifestLoader.load(baseRequest)
    baseRequest.memo = memo
    let repository = try GitRepository(discoveringFrom: repo.path)
    let tree = RecordingTree(try repository.commit(for: "HEAD~1"))
    let source = ManifestSource(repository: repo.path, ref: "HEAD~1", commit: nil, isWorkingTree: false)
    let memoized = try ManifestLoader.load(from: tree, source: source, request: baseRequest)
    return (memoized, plain, tree.readFiles.filter { $0 != "provsync.yaml" }, memo.fileCount)
}

@Suite("Reading the base with the ref's memo")
struct DecodingMemoTests {
    @Test("the base reads only the files that differ from the ref's, and decodes to what a plain read gives")
    func onlyChangedFilesAreRead() throws {
        let repo = try ScratchRepository()
        _ = try repo.commitFiles([
            "manifests/a.yaml": installationText("a"),
            "manifests/b.yaml": agentText("b", timeout: 900),
            "manifests/c.yaml": installationText("c") + "  colour: blue\n",  // an error, the same at both
            "manifests/gone.yaml": installationText("gone"),
        ])
        try repo.remove("manifests/gone.yaml")
        _ = try repo.commitFiles([
            "manifests/b.yaml": agentText("b", timeout: 600),
            "manifests/new.yaml": installationText("new"),
        ])
        let read = try loadBase(repo)
        #expect(read.memoFiles == 4)
        #expect(read.readFiles.sorted() == ["manifests/b.yaml", "manifests/gone.yaml"])
        #expect(read.memoized.manifestSet.manifests == read.plain.manifestSet.manifests)
        #expect(read.memoized.diagnostics == read.plain.diagnostics)
        #expect(read.plain.diagnostics.contains { $0.location?.file == "manifests/c.yaml" })
        let timeout = read.memoized.manifestSet.manifests.compactMap { manifest -> Int? in
            guard case .agentProvider(let spec) = manifest.body else { return nil }
            return spec.autoStopTimeoutSec
        }
        #expect(timeout == [900])
    }

    @Test("a patch layer added by the change leaves the base's unpatched manifest decoded on its own")
    func layersDecodeAgain() throws {
        let repo = try ScratchRepository()
        try repo.write("provsync.yaml", """
            environments:
              production: {paths: [manifests/base, manifests/production]}
            """)
        _ = try repo.commitFiles([
            "manifests/base/db.yaml": installationText("db", version: "1.0.0"),
            "manifests/base/cache.yaml": installationText("cache", version: "2.0.0"),
            "manifests/production/cache.yaml": installationText("cache", version: "2.1.0"),
        ])
        _ = try repo.commitFiles([
            "manifests/production/db.yaml": installationText("db", version: "1.5.0"),
            "manifests/production/cache.yaml": installationText("cache", version: "2.2.0"),
        ])
        let read = try loadBase(repo, environment: "production")
        #expect(read.readFiles == ["manifests/production/cache.yaml"])
        #expect(read.memoized.manifestSet.manifests == read.plain.manifestSet.manifests)
        #expect(read.memoized.diagnostics == read.plain.diagnostics)
        let versions = read.memoized.manifestSet.manifests.compactMap { manifest -> String? in
            guard case .installation(let spec) = manifest.body else { return nil }
            return "\(spec.providerName) \(spec.version ?? "-")"
        }
        #expect(versions.sorted() == ["acme/cache 2.1.0", "acme/db 1.0.0"])
    }

    @Test("a working-tree ref is matched by its files' bytes")
    func workingTreeRef() throws {
        let repo = try ScratchRepository()
        _ = try repo.commitFiles(["manifests/a.yaml": installationText("a"), "manifests/b.yaml": installationText("b")])
        _ = try repo.commitFiles(["manifests/b.yaml": installationText("b", version: "2.0.0")])
        try repo.write("manifests/a.yaml", installationText("a", version: "3.0.0"))  // uncommitted
        let read = try loadBase(repo, workingTree: true)
        #expect(read.readFiles.sorted() == ["manifests/a.yaml", "manifests/b.yaml"])
        #expect(read.memoized.manifestSet.manifests == read.plain.manifestSet.manifests)
        try repo.write("manifests/a.yaml", installationText("a"))
        let unchanged = try loadBase(repo, workingTree: true)
        #expect(unchanged.readFiles == ["manifests/b.yaml"])
        #expect(unchanged.memoized.manifestSet.manifests == unchanged.plain.manifestSet.manifests)
    }
}
