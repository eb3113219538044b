import Foundation
import Testing
import ProvsyncTestSupport

private func installation(_ name: String, version: String) -> String {
    "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: \(name)\n  version: \"\(version)\"\n"
}

@Suite("Pull-request plans")
struct PullRequestPlanTests {
    @Test("--base marks the pull request's own changes apart from pre-existing drift; no write is made")
    func baseAttribution() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/pg.yaml", installation("acme/postgres", version: "1.4.2"))
        try repo.write("manifests/redis.yaml", installation("acme/redis", version: "7.2.4"))
        let base = try repo.commitAll("base")
        let sandbox = try await LoopbackSandbox.start()
        defer { Task { await sandbox.stop() } }
        #expect(try await ProvsyncBinary.run(["apply", "--auto-approve", "--api-url", sandbox.url], in: repo.url).status == 0)
        try repo.write("manifests/pg.yaml", installation("acme/postgres", version: "1.5.0"))
        try repo.write("manifests/loki.yaml", installation("acme/loki", version: "3.1.0"))
        try repo.commitAll("head")
        try await sandbox.call("POST", "/providers/installed/acme/redis/downgrade", json: ["target_version": "7.0.15"])
        let writes = try await sandbox.receivedWrites()

        let summary = repo.scratch.appendingPathComponent("summary.md")
        _ = FileManager.default.createFile(atPath: summary.path, contents: Data("earlier step\n".utf8))
        let output = try await ProvsyncBinary.run(
            ["plan", "--api-url", sandbox.url, "--base", base, "--format", "json"], in: repo.url,
            environment: ["GITHUB_STEP_SUMMARY": summary.path, "GITHUB_ACTIONS": "true"]
        )
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let changes = try #require(json["changes"] as? [[String: Any]])
        let attribution = Dictionary(uniqueKeysWithValues: changes.map {
            ($0["address"] as? String ?? "", "\($0["action"] as? String ?? "") \($0["pre_existing"] as? Bool ?? false)")
        })
        #expect(attribution == [
            "installation/acme/postgres": "upgrade false",
            "installation/acme/loki": "install false",
            "installation/acme/redis": "upgrade true",
        ])
        let summaryText = try String(decoding: Data(contentsOf: summary), as: UTF8.self)
        #expect(summaryText.hasPrefix("earlier step\n## provsync plan"))
        #expect(summaryText.contains("### Pre-existing drift (planned from the base too)"))
        #expect(try await sandbox.receivedWrites() == writes, "plan never writes")
    }

    @Test("a --base that cannot be read is a warning; every change is shown as introduced")
    func unreadableBase() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/pg.yaml", installation("acme/postgres", version: "1.4.2"))
        try repo.commitAll("head")
        let sandbox = try await LoopbackSandbox.start()
        defer { Task { await sandbox.stop() } }
        let output = try await ProvsyncBinary.run(
            ["plan", "--api-url", sandbox.url, "--base", "no-such-ref", "--format", "json"], in: repo.url
        )
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("warning: the manifests at --base no-such-ref cannot be read or are invalid"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let changes = try #require(json["changes"] as? [[String: Any]])
        #expect(changes.map { $0["address"] as? String } == ["installation/acme/postgres"])
        #expect(changes.allSatisfy { $0["pre_existing"] as? Bool == false })
    }
}
