import Foundation
import Testing
import ProvsyncModel
@testable import ProvsyncReporting

/// A plan of its own (not `ReportingFixtures.plan`, which other renderings grow), and reports of applying it.
private enum ApplyFixtures {
    static let source = ManifestSource(repository: "/repo", ref: "main", commit: String(repeating: "b", count: 40),
                                       isWorkingTree: false)
    static let postgres = ResourceAddress.installation(providerName: "acme/postgres")
    static let redis = ResourceAddress.installation(providerName: "acme/redis")
    static let agent = ResourceAddress.agent(origin: "ghcr.io/acme/research-agent")

    static var plan: Plan {
        Plan(source: source, changes: [
            PlannedChange(address: agent, action: .create, reason: "no provider with this origin",
                          manifest: SourceLocation(file: "manifests/agent.yaml", line: 1, column: 1),
                          differences: [FieldDifference(path: "location", before: .absent,
                                                        after: .value("ghcr.io/acme/research-agent:1.2.0"))],
                          liveFingerprint: nil),
            PlannedChange(address: postgres, action: .install, reason: "not installed",
                          manifest: SourceLocation(file: "manifests/pg.yaml", line: 1, column: 1),
                          differences: [FieldDifference(path: "version", before: .absent, after: .value("1.4.2")),
                                        FieldDifference(path: "config.DB_PASSWORD", before: .absent,
                                                        after: .sensitive(digest: "d"))],
                          liveFingerprint: nil),
            PlannedChange(address: redis, action: .upgrade, reason: "version 7.0.15 → 7.2.4",
                          manifest: SourceLocation(file: "manifests/redis.yaml", line: 3, column: 1),
                          differences: [FieldDifference(path: "version", before: .value("7.0.15"), after: .value("7.2.4"))],
                          liveFingerprint: "f"),
        ], unmanaged: [.installation(providerName: "acme/legacy")], desiredDigest: "digest", salt: "salt")
    }

    static var applied: ApplyReport {
        ApplyReport(results: [
            ApplyResult(address: postgres, action: .install, outcome: .applied("installed 1.4.2, pending")),
            ApplyResult(address: redis, action: .upgrade,
                        outcome: .failed("POST /providers/installed/acme/redis/upgrade: 409 \"busy\"")),
            ApplyResult(address: agent, action: .create, outcome: .notAttempted("interrupted before it started")),
        ])
    }

    static var dryRun: ApplyReport {
        ApplyReport(results: [
            ApplyResult(address: postgres, action: .install, outcome: .wouldApply("version 1.4.2 is published")),
            ApplyResult(address: redis, action: .upgrade,
                        outcome: .wouldFail("version 7.2.4 of acme/redis is not published: its status is staged")),
            ApplyResult(address: agent, action: .create, outcome: .notAttempted("not checked: the API answered 503")),
        ])
    }

    /// A message with every kind of character that must not stand raw in output.
    static let hostile = "409 busy\u{1B}[31m red\u{7}\nnext line\u{2028}sep \u{202E}txt.exe \"quoted\" \\ end"
}

@Suite("Apply and validation JSON")
struct ApplyJSONRenderingTests {
    @Test("apply and dry-run reports as JSON, against their golden files")
    func applyGoldens() throws {
        try GoldenFiles.check(try ApplyJSONRenderer.render(plan: ApplyFixtures.plan, report: ApplyFixtures.applied,
                                                           dryRun: false), against: "apply-report.json")
        try GoldenFiles.check(try ApplyJSONRenderer.render(plan: ApplyFixtures.plan, report: ApplyFixtures.dryRun,
                                                           dryRun: true), against: "apply-dry-run.json")
    }

    @Test("apply --wait's outcome as JSON: ready, failed with the API's message, not settled")
    func waitGolden() throws {
        let report = ApplyReport(results: [
            ApplyResult(address: ApplyFixtures.postgres, action: .install, outcome: .applied("installed 1.4.2, pending")),
            ApplyResult(address: ApplyFixtures.redis, action: .upgrade, outcome: .applied("upgraded to 7.2.4")),
            ApplyResult(address: ApplyFixtures.agent, action: .create, outcome: .applied("created, id 1b4e28ba")),
        ])
        let wait = ApplyJSONRenderer.Wait(ready: ["acme/redis"], failed: [("acme/postgres", "readiness probe failed")],
                                          unsettled: ["acme/kafka"])
        try GoldenFiles.check(try ApplyJSONRenderer.render(plan: ApplyFixtures.plan, report: report, dryRun: false,
                                                           wait: wait), against: "apply-wait.json")
    }

    @Test("the document's plan is the plan as plan --format json prints it, and every outcome is counted")
    func planAndSummary() throws {
        let document = try decode(try ApplyJSONRenderer.render(plan: ApplyFixtures.plan, report: ApplyFixtures.applied,
                                                               dryRun: false))
        #expect(document["plan"] == (try decode(try PlanJSONRenderer.render(ApplyFixtures.plan))))
        #expect(document["summary"] == ["applied": 1, "failed": 1, "not_attempted": 1, "would_apply": 0, "would_fail": 0])
        #expect(document["wait"] == nil, "no wait key without --wait")
        let empty = try decode(try ApplyJSONRenderer.render(plan: ApplyFixtures.plan, report: ApplyReport(results: []),
                                                            dryRun: true))
        #expect(empty["results"] == [])
        #expect(empty["dry_run"] == true)
    }

    @Test("validation diagnostics as JSON: a place, a whole file, no place, a warning; and a valid run")
    func validationGoldens() throws {
        let diagnostics: [Diagnostic] = [
            .error("no git repository here"),
            .warning("skipped a symlink", at: .file("manifests/link.yaml")),
            .error("\"spec.provider_name\" must be \"org/name\", not \"x\"",
                   at: SourceLocation(file: "manifests/a.yaml", line: 4, column: 18)),
        ]
        try GoldenFiles.check(try ValidationJSONRenderer.render(manifests: 3, diagnostics: diagnostics),
                              against: "validate-invalid.json")
        try GoldenFiles.check(try ValidationJSONRenderer.render(manifests: 7, diagnostics: [diagnostics[1]]),
                              against: "validate-valid.json")
        #expect(try decode(try ValidationJSONRenderer.render(manifests: 7, diagnostics: [diagnostics[1]]))["valid"] == true)
        #expect(try decode(try ValidationJSONRenderer.render(manifests: 3, diagnostics: diagnostics))["valid"] == false)
    }

    @Test("messages and paths are escaped as in every JSON output: nothing hidden stands raw, and they read back the same")
    func escaping() throws {
        let report = ApplyReport(results: [
            ApplyResult(address: ApplyFixtures.redis, action: .upgrade, outcome: .failed(ApplyFixtures.hostile)),
        ])
        let wait = ApplyJSONRenderer.Wait(ready: [], failed: [("acme/redis", ApplyFixtures.hostile)], unsettled: [])
        let applied = try ApplyJSONRenderer.render(plan: ApplyFixtures.plan, report: report, dryRun: false, wait: wait)
        let validated = try ValidationJSONRenderer.render(manifests: 1, diagnostics: [
            .error(ApplyFixtures.hostile, at: SourceLocation(file: "manifests/\u{202E}a\nb.yaml", line: 1, column: 1)),
        ])
        for rendered in [applied, validated] {
            let raw = rendered.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{202E}"
            }
            #expect(raw.isEmpty, "raw characters: \(raw.map { String($0.value, radix: 16) })")
            #expect(Escaping.output(rendered, colors: false) == rendered, "the output guard has nothing left to do")
        }
        #expect(try decode(applied)["results"] == [["address": "installation/acme/redis", "action": "upgrade",
                                                    "outcome": "failed", "message": .string(ApplyFixtures.hostile)]])
        #expect(try decode(applied)["wait"]?["failed"] == [["address": "installation/acme/redis",
                                                           "message": .string(ApplyFixtures.hostile)]])
        let diagnostic = try decode(validated)["diagnostics"]?[0]
        #expect(diagnostic?["message"] == .string(ApplyFixtures.hostile))
        #expect(diagnostic?["file"] == "manifests/\u{202E}a\nb.yaml")
    }

    private func decode(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }
}

extension JSONValue {
    fileprivate subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }

    fileprivate subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { items[index] } else { nil }
    }
}
