import Foundation

/// The `provsync` executable built beside the running test bundle.
package enum ProvsyncBinary {
    package static var url: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("provsync")
    }

    /// Runs `provsync` with `arguments` in `directory`.
    package static func run(
        _ arguments: [String], in directory: URL, environment: [String: String?] = [:]
    ) throws -> ProcessOutput {
        try ProcessRunner.run(url, arguments, in: directory, environment: ProcessRunner.environment(environment))
    }

    /// The same, from async code (see `ProcessRunner`): use it whenever the test process serves the child.
    package static func run(
        _ arguments: [String], in directory: URL, environment: [String: String?] = [:]
    ) async throws -> ProcessOutput {
        try await ProcessRunner.run(url, arguments, in: directory, environment: ProcessRunner.environment(environment))
    }

    /// The root of this package's source tree.
    package static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
