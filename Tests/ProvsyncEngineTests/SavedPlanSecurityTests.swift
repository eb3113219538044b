import Foundation
import ProvsyncEngine
import ProvsyncModel
import ProvsyncSupport
import Testing

/// The real secret of these tests: a word any dictionary has.
private let password = "sunshine1"
private let planKey = ["PROVSYNC_PLAN_KEY": "7f3c9a1e5b2d4c6e8a0b1d3f5e7c9a2b"]

private func postgres(version: String = "1.4.2", extra: String = "") -> String {
    Manifests.installation("acme/postgres", version: version, extra: "  config:\n    DB_PASSWORD: ${env:DB_PASSWORD}\n"
                           + extra)
}

/// Every 64-digit hex string in `text`: the digests, fingerprints, key check and seal of a saved plan.
private func digests(in text: String) -> Set<String> {
    let hex = Set("0123456789abcdef")
    return Set(text.split { !hex.contains($0) }.map(String.init).filter { $0.count == 64 })
}

/// 5,000 candidate passwords, the real one among them.
private let candidates: [String] = {
    let common = ["password", "123456", "qwerty", "letmein", "sunshine", "dragon", "monkey", "shadow", "master"]
    let words = (common + (0..<600).map { "word\($0)" }).flatMap { [$0, $0 + "1", $0 + "!", $0.capitalized] }
    return Array((words + (0..<5_000).map { "guess-\($0)" }).prefix(4_999)) + [password]
}()

/// The saved plan's JSON as a mutable value, edited by `edit` and written to a new file; returns its path.
private func edited(_ path: String, as name: String, _ edit: (inout [String: JSONValue]) -> Void) throws -> String {
    guard case .object(var members) = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    else { throw SecurityTestError("not a JSON object") }
    edit(&members)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let target = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(name).path
    try encoder.encode(JSONValue.object(members)).write(to: URL(fileURLWithPath: target))
    return target
}

/// `members[key]` with `change` applied to its members (an object), or to its `index`th item's (an array).
private func editing(_ value: JSONValue?, index: Int? = nil, _ change: (inout [String: JSONValue]) -> Void) -> JSONValue? {
    switch value {
    case .object(var members)?:
        change(&members)
        return .object(members)
    case .array(var items)? where index.map(items.indices.contains) == true:
        items[index ?? 0] = editing(items[index ?? 0], change) ?? items[index ?? 0]
        return .array(items)
    default:
        return value
    }
}

private struct SecurityTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What a saved plan gives away, and how apply treats an edited one or one made with another key.
@Suite("Engine: saved plan security")
struct SavedPlanSecurityTests {
    @Test("a dictionary attack with the file's salt, as on the old salted digests, matches nothing in a keyed plan")
    func dictionaryAttack() async throws {
        try await withHarness(["manifests/pg.yaml": postgres(version: "1.4.0")],
                              environment: planKey.merging(["DB_PASSWORD": password]) { $1 }) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            try harness.commit(["manifests/pg.yaml": postgres()])
            let plan = try await harness.plan(PlanOptions(recordsDigests: true))
            let text = try PlanFile(plan, saved: SavedPlanOptions()).encoded()
            #expect(!text.contains(password))
            let salt = Array(plan.salt.utf8) + [0]
            #expect(text.contains("\"salt\" : \"\(plan.salt)\""), "the salt is in the file, as the attacker assumes")
            // The old fingerprint of the live installation: SHA-256 of the salt and its canonical JSON.
            func oldDigests(_ candidate: String) -> [String] {
                let live = JSONValue.object(["version": "1.4.0", "upgrade_policy": "manual", "resource_tier": "standard",
                                             "config": ["DB_PASSWORD": .string(candidate)]])
                return [SHA256Digest.hex(salt + Array(live.canonicalText.utf8)), SHA256Digest.hex(salt + Array(candidate.utf8)),
                        SHA256Digest.hex(salt + Array(JSONValue.string(candidate).canonicalText.utf8))]
            }
            #expect(oldDigests(password).first == plan.changes.first?.liveFingerprint,
                    "the attack computes the old digest exactly (apply's in-memory fingerprint still is one)")
            let inFile = digests(in: text)
            #expect(inFile.count >= 4, "desired digest, live fingerprint, key check and seal")
            #expect(candidates.count == 5_000)
            let matches = candidates.filter { !inFile.isDisjoint(with: oldDigests($0)) }
            #expect(matches.isEmpty, "a candidate matched a digest of the file: \(matches)")
        }
    }

    @Test("with a key, a changed secret makes the plan stale: in the environment, and in live state")
    func changedSecretIsStale() async throws {
        let environment = ["PROVSYNC_TOKEN": "ci-token-1", "DB_PASSWORD": password, "OPENAI_API_KEY": "sk-one"]
        let agent = Manifests.agent("ghcr.io/acme/research-agent:1.2.0", variables: ["OPENAI_API_KEY": "${env:OPENAI_API_KEY}"])
        try await withHarness(["manifests/pg.yaml": postgres(), "manifests/agent.yaml": agent],
                              environment: environment) { harness in
            var old = harness
            old.environment["OPENAI_API_KEY"] = "sk-old"
            #expect(try await !old.apply().report.isIncomplete)
            let file = harness.repo.scratch.appendingPathComponent("plan.json").path
            let text = try await harness.savePlan(to: file)
            #expect(text.contains("\"key_source\" : \"PROVSYNC_TOKEN\"") && text.contains("\"action\" : \"update\""))

            var later = harness
            later.environment["DB_PASSWORD"] = "sunshine2"
            var writesBefore = try await harness.sandbox.writes().totalReceived
            let stale = try await engineError { try await later.applySaved(at: file) }
            #expect(stale?.summary == "error: saved plan is stale: the manifests or the environment variables they read "
                        + "have changed; nothing was applied. Run `provsync plan --out` again.")
            #expect(try await harness.sandbox.writes().totalReceived == writesBefore)

            // The same update is planned from a secret changed by hand: only the keyed fingerprint sees it.
            let list = try await harness.sandbox.call("GET", "/api/v1/providers").body
            let id = try #require(list?["items"]?[0]?["id"]?.string)
            #expect(try await harness.sandbox.call("PUT", "/api/v1/providers/\(id)/variables",
                                                   json: ["variables": ["OPENAI_API_KEY": "sk-by-hand"]]).status == 201)
            writesBefore = try await harness.sandbox.writes().totalReceived
            let moved = try await engineError { try await harness.applySaved(at: file) }
            #expect(moved?.summary?.contains("saved plan is stale: live state changed for agent/ghcr.io/acme/research-agent")
                        == true, "\(String(describing: moved))")
            #expect(try await harness.sandbox.writes().totalReceived == writesBefore)
        }
    }

    @Test("without a key, plan --out warns, and a changed secret alone does not make the plan stale")
    func keylessPlan() async throws {
        try await withHarness(["manifests/pg.yaml": postgres()], environment: ["DB_PASSWORD": password]) { harness in
            let warnings = try await harness.inWorkspace { $0.savedPlanWarnings.map(\.description) }
            #expect(warnings == ["warning: no PROVSYNC_PLAN_KEY or API credentials: the saved plan leaves secrets out of "
                                 + "its digests, so a changed secret alone does not make it stale, and its seal does not "
                                 + "stop a deliberate edit; set PROVSYNC_PLAN_KEY for plan and apply"])
            let file = harness.repo.scratch.appendingPathComponent("plan.json").path
            let text = try await harness.savePlan(to: file)
            #expect(text.contains("\"key_source\" : \"none\"") && !text.contains(password))
            var later = harness
            later.environment["DB_PASSWORD"] = "sunshine2"
            let (_, report) = try await later.applySaved(at: file)
            #expect(!report.isIncomplete, "documented: the changed secret is applied, not refused")
            let installed = try await harness.sandbox.call("GET", "/providers/installed").body
            #expect("\(String(describing: installed))".contains("sunshine2"))
            var withKey = harness
            withKey.environment.merge(planKey) { $1 }
            #expect(try await withKey.inWorkspace { $0.savedPlanWarnings }.isEmpty, "no warning with a key")
        }
    }

    @Test("an edited decision (allow_replace, targets, an action, a fingerprint, the summary) is refused before any API call")
    func editedPlanIsRefused() async throws {
        try await withHarness(["manifests/redis.yaml": Manifests.installation("acme/redis", version: "7.2.4")],
                              environment: planKey) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            try harness.commit([
                "manifests/redis.yaml": Manifests.installation("acme/redis", version: "7.2.4", extra: "  resource_tier: performance\n"),
                "manifests/loki.yaml": Manifests.installation("acme/loki", version: "3.1.0"),
            ])
            let file = harness.repo.scratch.appendingPathComponent("plan.json").path
            try await harness.savePlan(to: file)
            let edits: [(String, (inout [String: JSONValue]) -> Void)] = [
                ("allow-replace.json", { $0["saved"] = editing($0["saved"]) { $0["allow_replace"] = true } }),
                ("targets.json", { $0["saved"] = editing($0["saved"]) { $0["targets"] = ["installation/acme/redis"] } }),
                ("action.json", { $0["changes"] = editing($0["changes"], index: 1) { $0["action"] = "upgrade" } }),
                ("fingerprint.json", {
                    $0["changes"] = editing($0["changes"], index: 1) { $0["live_fingerprint"] = .string(String(repeating: "0", count: 64)) }
                }),
                ("summary.json", { $0["summary"] = editing($0["summary"]) { $0["replace"] = 0 } }),
            ]
            try await harness.sandbox.clearRequests()
            let writesBefore = try await harness.sandbox.writes().totalReceived
            for (name, edit) in edits {
                let path = try edited(file, as: name, edit)
                let error = try await engineError { try await harness.applySaved(at: path) }
                #expect(error?.summary == "error: \(path): the saved plan was changed after it was written (its seal does "
                            + "not match); nothing was applied. Run `provsync plan --out` again.", "\(name)")
            }
            #expect(try await harness.sandbox.requests().isEmpty, "refused before any API call")
            #expect(try await harness.sandbox.writes().totalReceived == writesBefore)

            let (plan, report) = try await harness.applySaved(at: file)
            #expect(plan.changes.map(\.refusal).compactMap { $0 }.count == 1, "the unedited plan is taken as saved")
            #expect(report.applied.isEmpty && report.isIncomplete, "its refused replace stops it before any write")
        }
    }

    @Test("a plan made with one key and applied with another, or with none, is refused naming both")
    func otherKeyIsRefused() async throws {
        try await withHarness(["manifests/pg.yaml": postgres()],
                              environment: planKey.merging(["DB_PASSWORD": password]) { $1 }) { harness in
            let file = harness.repo.scratch.appendingPathComponent("plan.json").path
            try await harness.savePlan(to: file)
            func refusal(_ environment: [String: String]) async throws -> String? {
                var other = harness
                other.environment = environment.merging(["DB_PASSWORD": password]) { $1 }
                return try await engineError { try await other.applySaved(at: file) }?.summary
            }
            func message(plan: String, apply: String) -> String {
                "error: \(file): the saved plan was sealed with another key than apply has (plan: \(plan); apply: \(apply)); "
                    + "nothing was applied. Give plan and apply the same PROVSYNC_PLAN_KEY (or the same credentials), "
                    + "or run `provsync plan --out` again."
            }
            let noKey = "no key (neither PROVSYNC_PLAN_KEY nor credentials)"
            try await harness.sandbox.clearRequests()
            #expect(try await refusal(["PROVSYNC_PLAN_KEY": "another-key"])
                        == message(plan: "PROVSYNC_PLAN_KEY", apply: "another PROVSYNC_PLAN_KEY"))
            #expect(try await refusal(["PROVSYNC_TOKEN": "t"]) == message(plan: "PROVSYNC_PLAN_KEY", apply: "PROVSYNC_TOKEN"))
            #expect(try await refusal([:]) == message(plan: "PROVSYNC_PLAN_KEY", apply: noKey))
            #expect(try await harness.sandbox.requests().isEmpty, "refused before any API call")

            var keyless = harness
            keyless.environment = ["DB_PASSWORD": password]
            try await keyless.savePlan(to: file)
            try await harness.sandbox.clearRequests()
            #expect(try await refusal(planKey) == message(plan: noKey, apply: "PROVSYNC_PLAN_KEY"),
                    "a keyless seal, which anyone can recompute, is not taken where there is a key")
            #expect(try await harness.sandbox.requests().isEmpty, "refused before any API call")
        }
    }

    @Test("a policy.ignore'd live field changed between plan and apply does not make the plan stale")
    func ignoredFieldIsNotStale() async throws {
        let redis = Manifests.installation("acme/redis", version: "7.2.4", extra: "policy:\n  ignore: [config.LOG_LEVEL]\n")
        let postgres = Manifests.installation("acme/postgres", version: "1.4.2", extra: "policy:\n  ignore: [config.MODE]\n")
        try await withHarness(["manifests/redis.yaml": redis, "manifests/pg.yaml": postgres], environment: planKey) { harness in
            func install(_ name: String, _ version: String, config: JSONValue) async throws {
                #expect(try await harness.sandbox.call("POST", "/providers/install",
                                                       json: ["provider_name": .string(name), "version": .string(version),
                                                              "config": config]).status == 201)
            }
            try await install("acme/redis", "7.0.15", config: ["LOG_LEVEL": "info"])
            try await install("acme/postgres", "1.4.2", config: ["MODE": "a"])
            let file = harness.repo.scratch.appendingPathComponent("plan.json").path
            try await harness.savePlan(to: file)
            for name in ["acme/redis", "acme/postgres"] {
                #expect(try await harness.sandbox.call("DELETE", "/providers/installed/\(name)").status == 204)
            }
            try await install("acme/redis", "7.0.15", config: ["LOG_LEVEL": "debug"])
            try await install("acme/postgres", "1.4.2", config: ["MODE": "b"])
            let (plan, report) = try await harness.applySaved(at: file)
            #expect(plan.changes.map(\.address.description) == ["installation/acme/redis"])
            #expect(!report.isIncomplete, "\(report.results)")
        }
    }
}
