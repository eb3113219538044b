import CLibGit2
import ProvsyncModel

/// Starts libgit2 once per process and turns off its owner check: provsync only reads, and CI checkouts
/// are often owned by another user than the one running the job.
private let libgit2Started: Void = {
    git_libgit2_init()
    _ = provsync_git_disable_owner_validation()
}()

/// An open git repository (libgit2). Not shared across threads: open, read, and let it go.
final class GitRepository {
    let handle: OpaquePointer
    /// The working tree's directory (with a trailing `/`), nil for a bare repository.
    let workingDirectory: String?
    /// The repository's git directory.
    let gitDirectory: String

    /// Opens the repository at `path` or, like git, the one around it.
    init(discoveringFrom path: String) throws(DiagnosticsError) {
        _ = libgit2Started
        var pointer: OpaquePointer?
        let status = git_repository_open_ext(&pointer, path, 0, nil)
        guard status == 0, let pointer else {
            let detail = GitRepository.lastErrorMessage()
            throw DiagnosticsError(.error("no git repository at or above \(path)\(detail.map { " (\($0))" } ?? "")"))
        }
        handle = pointer
        workingDirectory = git_repository_workdir(pointer).map { String(cString: $0) }
        gitDirectory = String(cString: git_repository_path(pointer))
    }

    deinit {
        git_repository_free(handle)
    }

    /// The working tree, or the git directory of a bare repository, without a trailing `/`.
    var displayPath: String {
        let path = workingDirectory ?? gitDirectory
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    var isShallow: Bool { git_repository_is_shallow(handle) == 1 }

    /// Resolves any revision git accepts (branch, tag, `origin/main`, a sha, `HEAD~1`) to a commit.
    func commit(for revision: String) throws(DiagnosticsError) -> GitCommit {
        var object: OpaquePointer?
        guard git_revparse_single(&object, handle, revision) == 0, let object else {
            let detail = GitRepository.lastErrorMessage()
            throw DiagnosticsError(.error(unresolvedMessage(revision, detail: detail)))
        }
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        guard git_object_peel(&commit, object, GIT_OBJECT_COMMIT) == 0, let commit else {
            let detail = GitRepository.lastErrorMessage()
            throw DiagnosticsError(.error(
                "revision '\(revision)' does not name a commit\(detail.map { " (\($0))" } ?? "")"
            ))
        }
        defer { git_object_free(commit) }
        var tree: OpaquePointer?
        guard git_commit_tree(&tree, commit) == 0, let tree else {
            let detail = GitRepository.lastErrorMessage()
            throw DiagnosticsError(.error(
                "cannot read the tree of commit for '\(revision)'\(detail.map { " (\($0))" } ?? "")"
            ))
        }
        return try GitCommit(repository: self, sha: GitRepository.sha(of: git_commit_id(commit)), tree: tree)
    }

    /// The commit HEAD points at, or nil in a repository with no commits yet.
    func headSHA() -> String? {
        var object: OpaquePointer?
        guard git_revparse_single(&object, handle, "HEAD^{commit}") == 0, let object else {
            git_error_clear()
            return nil
        }
        defer { git_object_free(object) }
        return GitRepository.sha(of: git_object_id(object))
    }

    private func unresolvedMessage(_ revision: String, detail: String?) -> String {
        if revision == "HEAD" && git_repository_head_unborn(handle) == 1 {
            if !hasLocalBranch() {
                return "the repository at \(displayPath) has no commits yet; commit the manifests, or use --worktree"
            }
            let branch = headBranchName().map { "branch '\($0)'" } ?? "the current branch"
            return "HEAD is on \(branch), which has no commits yet; commit, pick a commit with --ref, or use --worktree"
        }
        var message = "unknown revision '\(revision)' in \(displayPath)"
        if let detail { message += " (\(detail))" }
        if isShallow {
            message += "; this is a shallow clone, so the commit may not have been fetched (fetch more history, "
                + "e.g. fetch-depth: 0 in actions/checkout)"
        }
        return message
    }

    /// Whether git ignores `path` (relative to the working tree), by the repository's ignore rules.
    func isIgnored(_ path: String) -> Bool {
        var ignored: Int32 = 0
        guard git_ignore_path_is_ignored(&ignored, handle, path) == 0 else {
            git_error_clear()
            return false
        }
        return ignored == 1
    }

    /// Whether any local branch exists (a repository with none has no commits at all).
    private func hasLocalBranch() -> Bool {
        var iterator: OpaquePointer?
        guard git_branch_iterator_new(&iterator, handle, GIT_BRANCH_LOCAL) == 0, let iterator else { return false }
        defer { git_branch_iterator_free(iterator) }
        var reference: OpaquePointer?
        var type = GIT_BRANCH_LOCAL
        guard git_branch_next(&reference, &type, iterator) == 0 else {
            git_error_clear()
            return false
        }
        git_reference_free(reference)
        return true
    }

    /// The branch HEAD points at (`main`), read from the symbolic reference; nil when detached or unreadable.
    private func headBranchName() -> String? {
        var reference: OpaquePointer?
        guard git_reference_lookup(&reference, handle, "HEAD") == 0, let reference else {
            git_error_clear()
            return nil
        }
        defer { git_reference_free(reference) }
        guard let target = git_reference_symbolic_target(reference) else { return nil }
        let name = String(cString: target)
        return name.hasPrefix("refs/heads/") ? String(name.dropFirst("refs/heads/".count)) : name
    }

    static func sha(of oid: UnsafePointer<git_oid>?) -> String {
        guard let oid else { return "" }
        var buffer = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
        git_oid_tostr(&buffer, buffer.count, oid)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// libgit2's message for the last failure on this thread; read right after the failing call.
    static func lastErrorMessage() -> String? {
        guard let error = git_error_last(), let message = error.pointee.message else { return nil }
        let text = String(cString: message)
        return text.isEmpty ? nil : text
    }
}
