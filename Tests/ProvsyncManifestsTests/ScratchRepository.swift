import Foundation

/// A git repository in a fresh temporary directory, driven through the real `git` command.
///
/// Every git run gets a fixed identity through the environment, `HOME` and `XDG_CONFIG_HOME` inside the
/// scratch directory and `GIT_CONFIG_NOSYSTEM=1`, so neither the user's global nor the system git
/// configuration is read or written. Clones and other directories made with `sibling(_:)` live in the same
/// scratch directory; `delete()` (call it from a `defer`) removes all of it.
struct ScratchRepository {
    /// The temporary directory holding the repository, its clones and git's `HOME`.
    let scratch: URL
    /// The repository: its working tree, or its git directory when bare.
    let url: URL

    var path: String { url.path }

    /// Makes a scratch directory with a new repository (`git init -q -b main`) in `scratch/<name>`.
    init(name: String = "repo", bare: Bool = false) throws {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("provsync-gittests-\(UUID().uuidString)", isDirectory: true)
            .resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try self.init(scratch: scratch, name: name, bare: bare)
    }

    /// Another new repository in the same scratch directory.
    init(scratch: URL, name: String, bare: Bool = false) throws {
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
    func delete() {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// A directory in the scratch directory (created, empty) that is no repository.
    func sibling(_ name: String) throws -> URL {
        let directory = scratch.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// `git clone` of this repository over `file://` into `scratch/<name>`.
    func clone(named name: String, bare: Bool = false, depth: Int? = nil) throws -> ScratchRepository {
        var arguments = ["clone", "-q"]
        if bare { arguments.append("--bare") }
        if let depth { arguments += ["--depth", String(depth)] }
        arguments += [url.absoluteString, name]
        try Self.run(arguments, in: scratch, home: scratch)
        return ScratchRepository(existing: scratch.appendingPathComponent(name, isDirectory: true), scratch: scratch)
    }

    // MARK: Files

    /// Writes a text file (creating its directories), relative to the repository root.
    func write(_ relativePath: String, _ contents: String) throws {
        try write(relativePath, bytes: Data(contents.utf8))
    }

    func write(_ relativePath: String, bytes: Data) throws {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try bytes.write(to: file)
    }

    /// Makes a directory (and its parents), relative to the repository root.
    func makeDirectory(_ relativePath: String) throws {
        try FileManager.default.createDirectory(at: url.appendingPathComponent(relativePath),
                                                withIntermediateDirectories: true)
    }

    /// Makes a symbolic link at `relativePath` whose target is `destination`, written as given.
    func symlink(_ relativePath: String, to destination: String) throws {
        let link = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: destination)
    }

    func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(relativePath))
    }

    // MARK: Git

    /// Stages everything and commits; returns the new commit's full sha.
    @discardableResult
    func commitAll(_ message: String = "change") throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
        return try sha("HEAD")
    }

    /// The full sha `git rev-parse` gives for `revision`, peeled to a commit.
    func sha(_ revision: String) throws -> String {
        try git("rev-parse", "--verify", "\(revision)^{commit}")
    }

    func branch(_ name: String, at revision: String = "HEAD") throws {
        try git("branch", name, revision)
    }

    func checkout(_ name: String) throws {
        try git("checkout", "-q", name)
    }

    /// A lightweight tag, or an annotated one when `message` is given.
    func tag(_ name: String, at revision: String = "HEAD", message: String? = nil) throws {
        if let message {
            try git("tag", "-a", name, "-m", message, revision)
        } else {
            try git("tag", name, revision)
        }
    }

    /// Runs git in the repository; returns its trimmed standard output, or throws with its standard error.
    @discardableResult
    func git(_ arguments: String...) throws -> String {
        try git(arguments)
    }

    @discardableResult
    func git(_ arguments: [String]) throws -> String {
        try Self.run(arguments, in: url, home: scratch)
    }

    // MARK: Running git

    struct GitFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// The environment of a git child process: this process's environment without any `GIT_*` variable
    /// (a test run inside a git hook must not leak `GIT_DIR`), with a fixed identity and no global or
    /// system configuration.
    static func environment(home: URL) -> [String: String] {
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
    static func run(_ arguments: [String], in directory: URL, home: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = directory
        process.environment = environment(home: home)
        // Files, not pipes: a pipe that fills up before the process exits would block it.
        let outputs = FileManager.default.temporaryDirectory
            .appendingPathComponent("provsync-git-output-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outputs) }
        let outURL = outputs.appendingPathComponent("stdout")
        let errURL = outputs.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw GitFailure(description: "git \(arguments.joined(separator: " ")) in \(directory.path) failed "
                + "(\(process.terminationStatus)): \(stderr)")
        }
        return stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
