import Foundation
import Testing
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncTestSupport

private let secret = "pg-s3cret-value"

private func environment(_ changes: [String: String?] = [:]) -> [String: String?] {
    let clean: [String: String?] = ["PROVSYNC_TOKEN": nil, "PROVSYNC_USERNAME": nil, "PROVSYNC_PASSWORD": nil,
                                    "PROVSYNC_PLAN_KEY": nil, "GITHUB_ACTIONS": nil, "GITHUB_STEP_SUMMARY": nil,
                                    "CI": "true", "DB_PASSWORD": secret]
    return clean.merging(changes) { $1 }
}

private func installation(_ name: String, version: String) -> String {
    Manifests.installation(name, version: version)
}

private func repository() throws -> ScratchRepository {
    let repo = try ScratchRepository()
    try repo.write("manifests/pg.yaml", installation("acme/postgres", version: "1.4.2")
                   + "  config:\n    DB_PASSWORD: ${env:DB_PASSWORD}\n")
    try repo.write("manifests/redis.yaml", installation("acme/redis", version: "7.2.4"))
    try repo.write("manifests/agent.yaml", Manifests.agent("ghcr.io/acme/research-agent:1.2.0"))
    try repo.commitAll()
    return repo
}

/// Standard output as one JSON document: decoding fails on anything else (a progress line, a second document).
private func document(_ output: ProcessOutput) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(output.stdout.utf8))
}

@Suite("validate and apply --format json")
struct JSONOutputCommandTests {
    @Test("validate --format json: valid manifests are one document, valid true with the count; exit 0, stderr empty")
    func validateValid() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let output = try await ProvsyncBinary.run(["validate", "--format", "json"], in: repo.url, environment: environment())
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.isEmpty)
        #expect(try document(output) == ["format_version": "1", "valid": true, "manifests": 3, "diagnostics": []])
    }

    @Test("validate --format json: every error with file, line, column and severity; exit 1; no text on stderr")
    func validateInvalid() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: x\n")
        try repo.write("manifests/b.yaml", installation("acme/redis", version: "7.2.4"))
        try repo.commitAll()
        let output = try await ProvsyncBinary.run(["validate", "--format", "json"], in: repo.url, environment: environment())
        #expect(output.status == 1)
        #expect(output.stderr.isEmpty, "diagnostics are in the document only: \(output.stderr)")
        let json = try document(output)
        #expect(json["valid"] == false)
        #expect(json["manifests"] == 1)
        #expect(json["diagnostics"] == [[
            "file": "manifests/a.yaml", "line": 4, "column": 18, "severity": "error",
            "message": "\"spec.provider_name\" must be \"org/name\", not \"x\"",
        ]])
    }

    @Test("validate --format json under GitHub Actions: the annotations go to stderr, stdout stays one document")
    func validateAnnotations() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/a.yaml", "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: x\n")
        try repo.commitAll()
        let output = try await ProvsyncBinary.run(["validate", "--format", "json"], in: repo.url,
                                                  environment: environment(["GITHUB_ACTIONS": "true"]))
        #expect(output.status == 1)
        #expect(try document(output)["valid"] == false)
        #expect(output.stderrLines == [
            "::error file=manifests/a.yaml,line=4,col=18::\"spec.provider_name\" must be \"org/name\", not \"x\"",
        ])
    }

    @Test("validate --format json: an unknown ref is one error without a place, exit 1")
    func validateUnknownRef() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let output = try await ProvsyncBinary.run(["validate", "--format", "json", "--ref", "nope"], in: repo.url,
                                                  environment: environment())
        #expect(output.status == 1)
        let json = try document(output)
        #expect(json["valid"] == false && json["manifests"] == 0)
        let diagnostic = try #require(json["diagnostics"]?[0])
        #expect(diagnostic["file"] == .null && diagnostic["line"] == .null && diagnostic["column"] == .null)
        #expect(diagnostic["message"]?.string?.hasPrefix("unknown revision 'nope' in ") == true, "\(diagnostic)")
    }

    @Test("apply --format json: one document with the plan, each result and the counts; no result line, no secret")
    func applyDocument() async throws {
        let repo = try repository()
        defer { repo.delete() }
        try await withSandbox { sandbox in
            let output = try await ProvsyncBinary.run(["apply", "--api-url", sandbox.url, "--auto-approve", "--format", "json"],
                                                      in: repo.url, environment: environment())
            #expect(output.status == 0, "\(output.stderr)")
            let json = try document(output)
            #expect(json["format_version"] == "1")
            #expect(json["dry_run"] == false)
            #expect(json["plan"]?["format_version"] == "1")
            #expect(json["plan"]?["summary"]?["install"] == 2 && json["plan"]?["summary"]?["create"] == 1)
            let results = try #require(json["results"]?.array)
            #expect(results.map { $0["address"] } == ["agent/ghcr.io/acme/research-agent", "installation/acme/postgres",
                                                      "installation/acme/redis"])
            #expect(results.map { $0["action"] } == ["create", "install", "install"])
            #expect(results.allSatisfy { $0["outcome"] == "applied" && $0["message"]?.string?.isEmpty == false })
            #expect(json["summary"] == ["applied": 3, "failed": 0, "not_attempted": 0, "would_apply": 0, "would_fail": 0])
            #expect(json["wait"] == nil)
            #expect(try await sandbox.writes().totalApplied == 3)
            #expect(!output.stdout.contains(secret) && !output.stderr.contains(secret))
            #expect(output.stdout.contains("\"(sensitive)\""), "the plan shows the secret redacted")

            let again = try await ProvsyncBinary.run(["apply", "--api-url", sandbox.url, "--format", "json"],
                                                     in: repo.url, environment: environment())
            #expect(again.status == 0, "nothing to do needs no confirmation: \(again.stderr)")
            let unchanged = try document(again)
            #expect(unchanged["results"] == [])
            #expect(unchanged["plan"]?["changes"] == [])
        }
    }

    @Test("apply --format json --dry-run: dry_run true, would_apply outcomes, nothing written")
    func applyDryRun() async throws {
        let repo = try repository()
        defer { repo.delete() }
        try await withSandbox { sandbox in
            let output = try await ProvsyncBinary.run(["apply", "--api-url", sandbox.url, "--dry-run", "--format", "json"],
                                                      in: repo.url, environment: environment())
            #expect(output.status == 0, "\(output.stderr)")
            let json = try document(output)
            #expect(json["dry_run"] == true)
            let outcomes = try #require(json["results"]?.array).map { $0["outcome"] }
            #expect(outcomes.count == 3 && outcomes.allSatisfy { $0 == "would_apply" }, "\(outcomes)")
            #expect(json["summary"]?["would_apply"] == 3)
            #expect(try await sandbox.writes().totalApplied == 0)
        }
    }

    @Test("apply --format json --wait: the document holds what the wait found")
    func applyWait() async throws {
        let repo = try repository()
        defer { repo.delete() }
        try await withSandbox { sandbox in
            let output = try await ProvsyncBinary.run(["apply", "--api-url", sandbox.url, "--auto-approve", "--wait",
                                                       "--format", "json"], in: repo.url, environment: environment())
            #expect(output.status == 0, "\(output.stderr)")
            let json = try document(output)
            #expect(json["wait"] == ["success": true, "ready": ["installation/acme/postgres", "installation/acme/redis"],
                                     "failed": [], "unsettled": []], "\(output.stdout)")
        }
    }

    @Test("apply --format json with no terminal and no --auto-approve refuses as text does, stdout empty")
    func applyNeedsApproval() async throws {
        let repo = try repository()
        defer { repo.delete() }
        try await withSandbox { sandbox in
            let output = try await ProvsyncBinary.run(["apply", "--api-url", sandbox.url, "--format", "json"],
                                                      in: repo.url, environment: environment())
            #expect(output.status == 1)
            #expect(output.stdout.isEmpty)
            #expect(output.stderr.contains("there is no terminal to ask on: pass --auto-approve"), "\(output.stderr)")
            #expect(try await sandbox.writes().totalReceived == 0)
        }
    }
}
