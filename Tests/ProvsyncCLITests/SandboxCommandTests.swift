import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ProvsyncTestSupport

@Suite("provsync sandbox")
struct SandboxCommandTests {
    @Test("runs in the foreground, prints its URL, serves both APIs, and stops on SIGINT writing its state")
    func foreground() async throws {
        let stateFile = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: stateFile) }
        let process = Process()
        process.executableURL = ProvsyncBinary.url
        process.arguments = ["sandbox", "--port", "0", "--state", stateFile.path, "--token", "s3cret"]
        process.environment = ProcessRunner.environment(["PROVSYNC_TOKEN": nil])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let line = await RunningProcess.read(until: "\n", from: output)
        #expect(line.hasPrefix("provsync sandbox listening on http://127.0.0.1:"))
        #expect(line.contains("(token required)"))
        #expect(!line.contains("s3cret"), "the token is never printed")
        let base = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") }).trimmingCharacters(in: .whitespacesAndNewlines)

        var install = URLRequest(url: try #require(URL(string: base + "/providers/install")))
        install.timeoutInterval = 120  // a hang guard, not a measure of time
        install.httpMethod = "POST"
        install.httpBody = Data(#"{"provider_name": "acme/redis"}"#.utf8)
        install.setValue("Bearer s3cret", forHTTPHeaderField: "Authorization")
        let (_, installResponse) = try await URLSession.shared.data(for: install)
        #expect((installResponse as? HTTPURLResponse)?.statusCode == 201)
        let (_, agentsResponse) = try await URLSession.shared.data(from: try #require(URL(string: base + "/api/v1/providers")))
        #expect((agentsResponse as? HTTPURLResponse)?.statusCode == 200)

        process.interrupt()
        await RunningProcess.waitForExit(process)
        #expect(process.terminationReason == .exit)
        let saved = try String(decoding: Data(contentsOf: stateFile), as: UTF8.self)
        #expect(saved.contains("acme/redis"))
    }

    @Test("a port already in use is one clear error and exit 1")
    func portInUse() async throws {
        let first = Process()
        first.executableURL = ProvsyncBinary.url
        first.arguments = ["sandbox", "--port", "0"]
        let output = Pipe()
        first.standardOutput = output
        try first.run()
        defer { first.terminate() }
        let text = await RunningProcess.read(until: "\n", from: output)
        let port = try #require(text.split(separator: ":").last?
            .split(separator: " ").first.map(String.init))
        let second = try await ProvsyncBinary.run(["sandbox", "--port", port], in: FileManager.default.temporaryDirectory)
        #expect(second.status == 1)
        #expect(second.stderrLines.first?.hasPrefix("error: the sandbox could not listen on 127.0.0.1:\(port)") == true)
    }
}
