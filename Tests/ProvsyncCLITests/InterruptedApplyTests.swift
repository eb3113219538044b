import Foundation
import Testing
import ProvsyncLiveTestSupport
import ProvsyncSandbox
import ProvsyncTestSupport

@Suite("Interrupted apply")
struct InterruptedApplyTests {
    @Test("SIGINT stops new operations, lets the one in flight finish, reports the rest; a second run finishes the job")
    func interrupt() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        for index in 0..<6 {
            try repo.write("manifests/p\(index).yaml",
                           "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: acme/p\(index)\n")
        }
        try repo.commitAll()
        let faults = FaultPlan(seed: 1, rules: [FaultRule(route: "POST /providers/install", latencyMs: 300)])
        try await withSandbox(SandboxConfiguration(pendingSeconds: 0, processingSeconds: 0, faults: faults, manualClock: true)) { sandbox in
            for index in 0..<6 { try await sandbox.publish("acme/p\(index)") }
            let process = Process()
            process.executableURL = ProvsyncBinary.url
            process.arguments = ["apply", "--auto-approve", "--parallelism", "1", "--api-url", sandbox.url]
            process.currentDirectoryURL = repo.url
            process.environment = ProcessRunner.environment(["CI": "true"])
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var text = await RunningProcess.read(until: "✓ installation/acme/p0", from: output)
            process.interrupt()
            text += await RunningProcess.read(until: "Apply incomplete", from: output)
            text += await RunningProcess.read(until: "\n\n\n", from: output)
            await RunningProcess.waitForExit(process)
            #expect(process.terminationStatus == 1)
            #expect(text.contains("not attempted: interrupted before it started"))
            let firstRun = try await sandbox.requests(on: "POST /providers/install")
            #expect(firstRun.count < 6, "the interrupt stopped new installs")

            let second = try await ProvsyncBinary.run(["apply", "--auto-approve", "--api-url", sandbox.url], in: repo.url,
                                                      environment: ["CI": "true"])
            #expect(second.status == 0, "\(second.stdout)")
            let installs = try await sandbox.requests(on: "POST /providers/install")
            #expect(installs.compactMap(\.subject).sorted() == (0..<6).map { "acme/p\($0)" },
                    "each provider was installed exactly once over both runs")
            #expect(installs.allSatisfy { $0.status == 201 })
        }
    }
}
