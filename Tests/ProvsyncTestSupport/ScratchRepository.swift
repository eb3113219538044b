import Foundation

/// A git repository in a fresh temporary directory, driven through the real `git` command with a fixed
/// identity and no global or system configuration.
package final class ScratchRepository: @unchecked Sendable {
    package let root: URL

    package init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("provsync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    package var path: String { root.path }

    /// Writes a file (creating its directories), relative to the repository root.
    package func write(_ relativePath: String, _ contents: String) throws {
        let url = root.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    /// Stages everything and commits; returns the new commit's full sha.
    @discardableResult
    package func commitAll(_ message: String = "change") throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
        return try git("rev-parse", "HEAD")
    }

    /// Runs git in the repository; returns its trimmed standard output, or throws with its standard error.
    @discardableResult
    package func git(_ arguments: String...) throws -> String {
        try Self.git(arguments, in: root)
    }

    package static func git(_ arguments: [String], in directory: URL) throws -> String {
        let output = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["git"] + arguments, in: directory, environment: gitEnvironment
        )
        guard output.status == 0 else {
            throw ScratchError("git \(arguments.joined(separator: " ")) failed: \(output.stderr)")
        }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static let gitEnvironment: [String: String] = ProcessRunner.environment([
        "GIT_AUTHOR_NAME": "provsync tests", "GIT_AUTHOR_EMAIL": "tests@provsync.invalid",
        "GIT_COMMITTER_NAME": "provsync tests", "GIT_COMMITTER_EMAIL": "tests@provsync.invalid",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
    ])
}

package struct ScratchError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
