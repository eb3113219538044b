import CLibGit2
import ProvsyncModel

/// A commit's tree, read without a checkout: a bare repository or a dirty working tree reads the same.
final class GitCommit: ManifestTree {
    let repository: GitRepository
    let sha: String
    private let tree: OpaquePointer
    private let objectDatabase: OpaquePointer
    /// Blob ids of the files seen while listing directories, so reading them does not look the path up
    /// again (a lookup by path inflates every tree on the way, which is slow for large directories).
    private var blobIDs: [String: git_oid] = [:]
    /// Tree ids of the directories seen, likewise; also the only way to open a directory whose name is not
    /// UTF-8 (its shown name is not its bytes).
    private var treeIDs: [String: git_oid] = [:]

    init(repository: GitRepository, sha: String, tree: OpaquePointer) throws(DiagnosticsError) {
        var database: OpaquePointer?
        guard git_repository_odb(&database, repository.handle) == 0, let database else {
            git_tree_free(tree)
            let detail = GitRepository.lastErrorMessage()
            throw DiagnosticsError(.error("cannot open the object database\(detail.map { " (\($0))" } ?? "")"))
        }
        self.repository = repository
        self.sha = sha
        self.tree = tree
        self.objectDatabase = database
    }

    deinit {
        git_tree_free(tree)
        git_odb_free(objectDatabase)
    }

    func kind(of path: String) throws(DiagnosticsError) -> TreeEntryKind? {
        if path.isEmpty { return .directory }
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, tree, path) == 0, let entry else {
            git_error_clear()
            return nil
        }
        defer { git_tree_entry_free(entry) }
        return try kind(of: entry, path: path, needsSize: true)
    }

    func children(of directory: String) throws(DiagnosticsError) -> [(name: String, kind: TreeEntryKind)] {
        try withTree(at: directory) { (subtree) throws(DiagnosticsError) in
            var children: [(name: String, kind: TreeEntryKind)] = []
            for index in 0..<git_tree_entrycount(subtree) {
                guard let entry = git_tree_entry_byindex(subtree, index) else { continue }
                let name = GitEntryName.text(git_tree_entry_name(entry))
                let path = directory.isEmpty ? name : "\(directory)/\(name)"
                // Only files that may be read need their size; others are never opened (and in a partial
                // clone may not even be present).
                let mayBeRead = ManifestFileCollector.isManifestName(name) || path == ManifestFileCollector.configurationFile
                let kind = try kind(of: entry, path: path, needsSize: mayBeRead)
                if let id = git_tree_entry_id(entry) {
                    switch kind {
                    case .file: blobIDs[path] = id.pointee
                    case .directory: treeIDs[path] = id.pointee
                    default: break
                    }
                }
                children.append((name, kind))
            }
            return children
        }
    }

    func contents(of file: String) throws(DiagnosticsError) -> [UInt8] {
        var id: git_oid
        if let known = blobIDs[file] {
            id = known
        } else {
            var entry: OpaquePointer?
            guard git_tree_entry_bypath(&entry, tree, file) == 0, let entry, let entryID = git_tree_entry_id(entry) else {
                throw failure("cannot find \(file) at \(sha)")
            }
            id = entryID.pointee
            git_tree_entry_free(entry)
        }
        var blob: OpaquePointer?
        guard git_blob_lookup(&blob, repository.handle, &id) == 0, let blob else {
            throw failure("cannot read \(file) at \(sha)")
        }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    func knownID(of file: String) -> GitObjectID? {
        blobIDs[file].map(GitObjectID.init)
    }

    private func kind(of entry: OpaquePointer, path: String, needsSize: Bool) throws(DiagnosticsError) -> TreeEntryKind {
        switch git_tree_entry_filemode(entry) {
        case GIT_FILEMODE_TREE: return .directory
        case GIT_FILEMODE_LINK: return .symlink
        case GIT_FILEMODE_COMMIT: return .submodule
        default:
            guard needsSize else { return .file(size: 0) }
            // The object header gives the size without inflating the blob.
            var size = 0
            var type = GIT_OBJECT_ANY
            guard git_odb_read_header(&size, &type, objectDatabase, git_tree_entry_id(entry)) == 0 else {
                throw failure("cannot read \(path) at \(sha)")
            }
            return .file(size: size)
        }
    }

    private func withTree<Result>(
        at directory: String, _ body: (OpaquePointer) throws(DiagnosticsError) -> Result
    ) throws(DiagnosticsError) -> Result {
        if directory.isEmpty { return try body(tree) }
        if var known = treeIDs[directory] {
            var subtree: OpaquePointer?
            guard git_tree_lookup(&subtree, repository.handle, &known) == 0, let subtree else {
                throw failure("cannot read \(directory) at \(sha)")
            }
            defer { git_tree_free(subtree) }
            return try body(subtree)
        }
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, tree, directory) == 0, let entry else {
            throw failure("cannot find \(directory) at \(sha)")
        }
        defer { git_tree_entry_free(entry) }
        var subtree: OpaquePointer?
        guard git_tree_lookup(&subtree, repository.handle, git_tree_entry_id(entry)) == 0, let subtree else {
            throw failure("cannot read \(directory) at \(sha)")
        }
        defer { git_tree_free(subtree) }
        return try body(subtree)
    }

    private func failure(_ message: String) -> DiagnosticsError {
        let detail = GitRepository.lastErrorMessage()
        var text = message + (detail.map { " (\($0))" } ?? "")
        if detail?.contains("not found") == true {
            text += "; the object is not in this clone (a partial or shallow clone?): fetch it, or clone without "
                + "--filter and with enough history"
        }
        return DiagnosticsError(.error(text))
    }
}
