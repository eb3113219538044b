import Foundation
@testable import ProvsyncManifests
import ProvsyncModel
import ProvsyncTestSupport

/// A tree that hands every call on to another and notes which files were read.
final class RecordingTree: ManifestTree {
    let base: any ManifestTree
    private(set) var readFiles: [String] = []

    init(_ base: any ManifestTree) {
        self.base = base
    }

    func kind(of path: String) throws(DiagnosticsError) -> TreeEntryKind? {
        try base.kind(of: path)
    }

    func children(of directory: String) throws(DiagnosticsError) -> [(name: String, kind: TreeEntryKind)] {
        try base.children(of: directory)
    }

    func contents(of file: String) throws(DiagnosticsError) -> [UInt8] {
        readFiles.append(file)
        return try base.contents(of: file)
    }

    func knownID(of file: String) -> GitObjectID? {
        base.knownID(of: file)
    }
}

/// Reading a scratch repository the way the command line does, from its HEAD commit or its working tree.
enum HostileRepository {
    /// Both ways of reading, for tests that must hold for each.
    static let sources: [Bool] = [false, true]

    static func installation(_ providerName: String) -> String {
        "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: \(providerName)\n"
    }

    static func agent(_ location: String) -> String {
        "apiVersion: provsync/v1\nkind: AgentProvider\nspec:\n  location: \(location)\n"
    }

    /// `--repo <repo>` with `--worktree` when `workingTree`, through `ManifestLoader.load`.
    static func load(_ repo: ScratchRepository, workingTree: Bool, paths: [String] = []) throws -> LoadedManifests {
        try ManifestLoader.load(ManifestRequest(
            repository: repo.path, workingTree: workingTree, paths: paths, currentDirectory: repo.scratch.path
        ))
    }

    /// The same, through a `RecordingTree` over the commit or the working tree, to see which files were read.
    static func loadRecording(
        _ repo: ScratchRepository, workingTree: Bool
    ) throws -> (loaded: LoadedManifests, readFiles: [String]) {
        let repository = try GitRepository(discoveringFrom: repo.path)
        let base: any ManifestTree = if workingTree, let root = repository.workingDirectory {
            WorkingTree(root: root, repository: repository)
        } else {
            try repository.commit(for: "HEAD")
        }
        let tree = RecordingTree(base)
        let source = ManifestSource(repository: repo.path, ref: "HEAD", commit: nil, isWorkingTree: workingTree)
        let request = ManifestRequest(repository: repo.path, workingTree: workingTree,
                                      currentDirectory: repo.scratch.path)
        let loaded = try ManifestLoader.load(from: tree, source: source, request: request)
        return (loaded, tree.readFiles)
    }

    /// Makes `relativePath` a file of `size` zero bytes without writing them (a sparse file).
    static func writeSparse(_ repo: ScratchRepository, _ relativePath: String, size: Int) throws {
        try repo.write(relativePath, bytes: Data())
        let handle = try FileHandle(forWritingTo: repo.url.appendingPathComponent(relativePath))
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(size))
    }
}
