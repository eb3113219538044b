import Foundation

/// A git repository in a fresh temporary directory, driven through the real `git` command.
///
/// Every git run gets a fixed identity through the environment, `HOME` and `XDG_CONFIG_HOME` inside the
/// scratch directory and `GIT_CONFIG_NOSYSTEM=1`, so neither the user's global nor the system git
/// configuration is read or written. Clones and other directories made with `sibling(_:)` live in the same
/// scratch directory; `delete()` (call it from a `defer`) removes all of it.
package struct ScratchRepository: Sendable {
    /// The temporary directory holding the repository, its clones and git's `HOME`.
    package let scratch: URL
    /// The repository: its working tree, or its git directory when bare.
    package let url: URL

    package var path: String { url.path }

    /// Makes a scratch directory with a new repository (`git init -q -b main`) in `scratch/<name>`.
    package init(name: String = "repo", bare: Bool = false) throws {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("provsync-gittests-\(UUID().uuidString)", isDirectory: true)
            .resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try self.init(scratch: scratch, name: name, bare: bare)
    }

    /// Another new repository in the same scratch directory.
    package init(scratch: URL, name: String, bare: Bool = false) throws {
        self.scratch = scratch
        self.url = scratch.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try git(bare ? ["init", "-q", "--bare", "-b", "main"] : ["init", "-q", "-b", "main"])
    }

    private init(existing url: URL, scratch: URL) {
        self.scratch = scratch
        self.url = url
    }

    /// Removes the scratch directory with everything in it.
    package func delete() {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// A directory in the scratch directory (created, empty) that is no repository.
    package func sibling(_ name: String) throws -> URL {
        let directory = scratch.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// `git clone` of this repository over `file://` into `scratch/<name>` (shallow with `depth`, partial with
    /// `filter`, e.g. `blob:none`).
    package func clone(
        named name: String, bare: Bool = false, depth: Int? = nil, filter: String? = nil
    ) throws -> ScratchRepository {
        var arguments = ["clone", "-q"]
        if bare { arguments.append("--bare") }
        if let depth { arguments += ["--depth", String(depth)] }
        if let filter { arguments += ["--filter", filter] }
        arguments += [url.absoluteString, name]
        try Self.run(arguments, in: scratch, home: scratch)
        return ScratchRepository(existing: scratch.appendingPathComponent(name, isDirectory: true), scratch: scratch)
    }

    /// `git worktree add -b <branch>` into `scratch/<name>`: a linked working tree of this repository.
    package func addWorktree(named name: String, branch: String) throws -> ScratchRepository {
        let directory = scratch.appendingPathComponent(name, isDirectory: true)
        try git("worktree", "add", "-q", "-b", branch, directory.path)
        return ScratchRepository(existing: directory, scratch: scratch)
    }

    // MARK: Files

    /// Writes a text file (creating its directories), relative to the repository root.
    package func write(_ relativePath: String, _ contents: String) throws {
        try write(relativePath, bytes: Data(contents.utf8))
    }

    package func write(_ relativePath: String, bytes: Data) throws {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try bytes.write(to: file)
    }

    /// Makes a directory (and its parents), relative to the repository root.
    package func makeDirectory(_ relativePath: String) throws {
        try FileManager.default.createDirectory(at: url.appendingPathComponent(relativePath),
                                                withIntermediateDirectories: true)
    }

    /// Makes a symbolic link at `relativePath` whose target is `destination`, written as given.
    package func symlink(_ relativePath: String, to destination: String) throws {
        let link = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: destination)
    }

    package func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(relativePath))
    }

    // MARK: Git

    /// Stages everything and commits; returns the new commit's full sha.
    @discardableResult
    package func commitAll(_ message: String = "change") throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
        return try sha("HEAD")
    }

    /// The full sha `git rev-parse` gives for `revision`, peeled to a commit.
    package func sha(_ revision: String) throws -> String {
        try git("rev-parse", "--verify", "\(revision)^{commit}")
    }

    package func branch(_ name: String, at revision: String = "HEAD") throws {
        try git("branch", name, revision)
    }

    package func checkout(_ name: String) throws {
        try git("checkout", "-q", name)
    }

    /// A lightweight tag, or an annotated one when `message` is given.
    package func tag(_ name: String, at revision: String = "HEAD", message: String? = nil) throws {
        if let message {
            try git("tag", "-a", name, "-m", message, revision)
        } else {
            try git("tag", name, revision)
        }
    }

    /// Runs git in the repository; returns its trimmed standard output, or throws with its standard error.
    @discardableResult
    package func git(_ arguments: String...) throws -> String {
        try git(arguments)
    }

    @discardableResult
    package func git(_ arguments: [String]) throws -> String {
        try Self.run(arguments, in: url, home: scratch)
    }

    // MARK: Running git

    package struct GitFailure: Error, CustomStringConvertible {
        package var description: String
    }

    /// The environment of a git child process: this process's environment without any `GIT_*` variable
    /// (a test run inside a git hook must not leak `GIT_DIR`), with a fixed identity and no global or
    /// system configuration.
    package static func environment(home: URL) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        environment["HOME"] = home.path
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent(".config").path
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_AUTHOR_NAME"] = "provsync tests"
        environment["GIT_AUTHOR_EMAIL"] = "tests@provsync.invalid"
        environment["GIT_COMMITTER_NAME"] = "provsync tests"
        environment["GIT_COMMITTER_EMAIL"] = "tests@provsync.invalid"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        return environment
    }

    @discardableResult
    package static func run(_ arguments: [String], in directory: URL, home: URL) throws -> String {
        let output = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["git"] + arguments, in: directory, environment: environment(home: home)
        )
        guard output.status == 0 else {
            throw GitFailure(description: "git \(arguments.joined(separator: " ")) in \(directory.path) failed "
                + "(\(output.status)): \(output.stderr)")
        }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
