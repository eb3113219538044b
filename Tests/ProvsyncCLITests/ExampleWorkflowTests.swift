import Foundation
import Testing
import ProvsyncLiveTestSupport
import ProvsyncTestSupport

/// Runs the provsync commands of the example GitHub workflows (the lines of their `run:` blocks that start
/// with `provsync`) against a sandbox, so the examples cannot rot.
@Suite("Example workflows")
struct ExampleWorkflowTests {
    private static let examples = ProvsyncBinary.packageRoot.appendingPathComponent("examples/github")

    private func commands(_ workflow: String) throws -> [String] {
        let text = try String(decoding: Data(contentsOf: Self.examples.appendingPathComponent(workflow)), as: UTF8.self)
        return text.split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("provsync ") }
            .map { $0.replacingOccurrences(of: "${{ github.base_ref }}", with: "main") }
    }

    private func run(_ command: String, in directory: URL) async throws -> ProcessOutput {
        let path = ProvsyncBinary.url.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        return try await ProcessRunner.run(
            URL(fileURLWithPath: "/bin/bash"), ["-c", command], in: directory,
            environment: ProcessRunner.environment(["PATH": path, "DB_PASSWORD": "pw", "OPENAI_API_KEY": "key",
                                                    "GITHUB_ACTIONS": "true", "CI": "true"])
        )
    }

    @Test("apply on push, plan on pull requests and scheduled drift work as written")
    func workflows() async throws {
        let origin = try ScratchRepository()
        defer { origin.delete() }
        try await withSandbox { sandbox in
            try origin.write("provsync.yaml", "api: \(sandbox.url)\nparallelism: 4\n")
            try origin.write("manifests/pg.yaml", """
                apiVersion: provsync/v1
                kind: Installation
                spec:
                  provider_name: acme/postgres
                  version: "1.4.2"
                  config:
                    DB_PASSWORD: ${env:DB_PASSWORD}

                """)
            try origin.commitAll()
            let work = try origin.clone(named: "work")

            let apply = try commands("provsync-apply.yml")
            #expect(apply == ["provsync apply --auto-approve --wait --wait-timeout 900"])
            for command in apply {
                let output = try await run(command, in: work.url)
                #expect(output.status == 0, "\(command): \(output.stdout)\(output.stderr)")
            }

            let drift = try commands("provsync-drift.yml")
            #expect(drift.count == 1)
            for command in drift {
                let output = try await run(command, in: work.url)
                #expect(output.status == 0, "\(command): \(output.stdout)\(output.stderr)")
                #expect(FileManager.default.fileExists(atPath: work.url.appendingPathComponent("drift.xml").path))
            }

            try work.git("checkout", "-q", "-b", "change")
            try work.write("manifests/pg.yaml", """
                apiVersion: provsync/v1
                kind: Installation
                spec:
                  provider_name: acme/postgres
                  version: "1.5.0"
                  config:
                    DB_PASSWORD: ${env:DB_PASSWORD}

                """)
            try work.commitAll()
            let plan = try commands("provsync-plan.yml")
            #expect(plan.count == 2)
            for command in plan {
                let output = try await run(command, in: work.url)
                #expect(output.status == 0, "\(command): \(output.stdout)\(output.stderr)")
            }
            let markdown = try String(decoding: Data(contentsOf: work.url.appendingPathComponent("plan.md")), as: UTF8.self)
            #expect(markdown.hasPrefix("## provsync plan\n\n**Plan: 1 to upgrade.**"))
            #expect(markdown.contains("### Changes made by this pull request"))
            #expect(FileManager.default.fileExists(atPath: work.url.appendingPathComponent("plan.json").path))

            try await sandbox.call("POST", "/providers/installed/acme/postgres/upgrade", json: ["version": "1.5.0"])
            try work.git("checkout", "-q", "main")
            for command in drift {
                let output = try await run(command, in: work.url)
                #expect(output.status == 2, "drift fails the job: \(output.stdout)")
            }
        }
    }
}
