import Foundation

/// What a finished child process printed and how it exited.
package struct ProcessOutput: Sendable {
    package var status: Int32
    package var stdout: String
    package var stderr: String

    package var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    package var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// Runs programs to completion for tests, capturing both output streams.
package enum ProcessRunner {
    package static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil
    ) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)")
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        let out = try FileHandle(forWritingTo: outFile)
        let err = try FileHandle(forWritingTo: errFile)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return ProcessOutput(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outFile), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errFile), as: UTF8.self)
        )
    }

    /// The same, from async code: the wait happens on a thread of its own, so servers this test process
    /// runs (an in-process sandbox) keep answering the child meanwhile.
    package static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil
    ) async throws -> ProcessOutput {
        try await OwnThread.run {
            Result { try run(executable, arguments, in: directory, environment: environment) as ProcessOutput }
        }.get()
    }

    /// The environment of this process with `changes` applied (nil values remove a variable).
    package static func environment(_ changes: [String: String?] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in changes {
            environment[name] = value
        }
        return environment
    }
}

/// Blocking reads and waits on running child processes, each on a thread of its own so that async tests
/// do not hold the threads in-process servers need to answer the child.
package enum RunningProcess {
    /// Reads the pipe until `marker` has appeared or the writer closed it; returns everything read.
    package static func read(until marker: String, from pipe: Pipe) async -> String {
        await OwnThread.run {
            var text = ""
            while !text.contains(marker) {
                let chunk = pipe.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            return text
        }
    }

    package static func waitForExit(_ process: Process) async {
        await OwnThread.run { process.waitUntilExit() }
    }
}

/// Runs blocking work on a new thread. Not on a dispatch queue: on Linux, Swift concurrency's jobs run on
/// dispatch's global default-QoS threads, so a dispatch work item that blocks for seconds (waiting for a
/// child process) takes a thread the in-process sandboxes need, and under load they stop answering.
package enum OwnThread {
    package static func run<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}
