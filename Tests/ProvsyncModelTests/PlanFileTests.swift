import Foundation
import ProvsyncModel
import Testing

private let source = ManifestSource(repository: "/repo", ref: "main", commit: String(repeating: "c", count: 40),
                                    isWorkingTree: false)

private func change(_ name: String, _ action: PlanAction, fingerprint: String?) -> PlannedChange {
    var change = PlannedChange(
        address: .installation(providerName: name), action: action, reason: "why",
        manifest: SourceLocation(file: "manifests/\(name).yaml", line: 3, column: 1),
        differences: [FieldDifference(path: "config.PW", before: .sensitive(digest: "x"), after: .absent),
                      FieldDifference(path: "version", before: .value("1.0.0"), after: .value(["a": [1, true, .null]]))],
        liveFingerprint: fingerprint.map { "prewrite-\($0)" }, savedFingerprint: fingerprint,
        refusal: action == .replace ? "not allowed" : nil)
    change.isPreExisting = action == .upgrade ? true : nil
    return change
}

private let plan = Plan(source: source,
                        changes: [change("acme/a", .install, fingerprint: nil), change("acme/b", .upgrade, fingerprint: "f1"),
                                  change("acme/c", .replace, fingerprint: "f2")],
                        unmanaged: [.agent(origin: "ghcr.io/acme/x")], desiredDigest: "d", unchangedFingerprints: ["installation/acme/d": "f3"],
                        salt: "s")

@Suite("Plan files")
struct PlanFileTests {
    @Test("a saved plan survives encoding and decoding unchanged, and reads back as saved")
    func roundTrip() throws {
        let file = PlanFile(plan, saved: SavedPlanOptions(targets: ["installation/acme/*"], allowReplace: true))
        let text = try file.encoded()
        let decoded = try JSONDecoder().decode(PlanFile.self, from: Data(text.utf8))
        #expect(decoded == file)
        #expect(try PlanFile.readSaved(Data(text.utf8), keyMaterial: nil) == file)
        #expect(decoded.saved?.targets == ["installation/acme/*"] && decoded.saved?.allowReplace == true)
        #expect(decoded.changes.map(\.liveFingerprint) == [.some(nil), .some("f1"), .some("f2")],
                "a saved plan records the saved fingerprints, not those apply compares before a write")
        #expect(decoded.formatVersion == "2" && decoded.saved?.keySource == "none" && decoded.seal?.count == 64)
        #expect(decoded.staleness(comparedWith: plan) == nil)
    }

    @Test("the JSON plan has no saved part and no fingerprints, and is refused as a saved plan")
    func jsonPlanIsNotSaved() throws {
        let text = try PlanFile(plan).encoded()
        #expect(!text.contains("live_fingerprint") && !text.contains("\"saved\""))
        #expect(text.contains("\"commit\" : \"cccc"))
        #expect(throws: SavedPlanError("this is a plan printed with --format json, not a saved plan; save one with --out")) {
            try PlanFile.readSaved(Data(text.utf8), keyMaterial: nil)
        }
        #expect(throws: SavedPlanError("not a saved provsync plan (write one with `provsync plan --out FILE`)")) {
            try PlanFile.readSaved(Data("{}".utf8), keyMaterial: nil)
        }
    }

    @Test("a null commit and a working-tree source are kept")
    func workingTree() throws {
        var local = plan
        local.source = ManifestSource(repository: "/repo", ref: "working tree", commit: nil, isWorkingTree: true)
        let text = try PlanFile(local, saved: SavedPlanOptions()).encoded()
        #expect(text.contains("\"commit\" : null"))
        let decoded = try PlanFile.readSaved(Data(text.utf8), keyMaterial: nil)
        #expect(decoded.source == PlanFile.Source(repo: "/repo", ref: "working tree", commit: nil, worktree: true))
    }

    @Test("staleness names the objects whose live state moved, or the manifests")
    func staleness() throws {
        let file = PlanFile(plan, saved: SavedPlanOptions())
        var moved = plan
        moved.changes[1].savedFingerprint = "other"
        #expect(file.staleness(comparedWith: moved) == "live state changed for installation/acme/b")
        var unchanged = plan
        unchanged.unchangedFingerprints["installation/acme/d"] = "other"
        #expect(file.staleness(comparedWith: unchanged) == "live state changed for installation/acme/d")
        var edited = plan
        edited.desiredDigest = "other"
        #expect(file.staleness(comparedWith: edited) == "the manifests or the environment variables they read have changed")
    }

    @Test("a saved plan of the older format is refused, saying to plan again")
    func olderFormat() throws {
        var json = try JSONDecoder().decode(JSONValue.self, from: Data(try PlanFile(plan, saved: SavedPlanOptions()).encoded().utf8))
        guard case .object(var members) = json else { throw PlanFileTestError() }
        members["format_version"] = "1"
        members["seal"] = nil
        json = .object(members)
        #expect(throws: SavedPlanError("this saved plan has format_version 1 (from an older provsync, without a seal); "
                                       + "this provsync reads 2: run `provsync plan --out` again")) {
            try PlanFile.readSaved(try JSONEncoder().encode(json), keyMaterial: nil)
        }
    }

    @Test("a keyed plan reads back with the same key material only; any edit breaks its seal")
    func keyedSeal() throws {
        let material = PlanKeyMaterial(source: "PROVSYNC_PLAN_KEY", secret: Array("k1".utf8))
        var keyed = plan
        keyed.key = material.key(salt: keyed.salt)
        let text = try PlanFile(keyed, saved: SavedPlanOptions()).encoded()
        let file = try PlanFile.readSaved(Data(text.utf8), keyMaterial: material)
        #expect(file.saved?.keySource == "PROVSYNC_PLAN_KEY" && file.saved?.keyCheck?.count == 64)
        #expect(!text.contains("k1\""), "the key material is not in the file")

        let other = PlanKeyMaterial(source: "PROVSYNC_PLAN_KEY", secret: Array("k2".utf8))
        #expect(throws: SavedPlanError.otherKey(plan: "PROVSYNC_PLAN_KEY", apply: "another PROVSYNC_PLAN_KEY")) {
            try file.checkSeal(keyMaterial: other)
        }
        #expect(throws: SavedPlanError.otherKey(plan: "PROVSYNC_PLAN_KEY", apply: "none")) {
            try file.checkSeal(keyMaterial: nil)
        }
        let keyless = try PlanFile.readSaved(Data(try PlanFile(plan, saved: SavedPlanOptions()).encoded().utf8), keyMaterial: nil)
        #expect(throws: SavedPlanError.otherKey(plan: "none", apply: "PROVSYNC_PLAN_KEY"),
                "a keyless seal, which anyone can compute, is not accepted where there is a key") {
            try keyless.checkSeal(keyMaterial: material)
        }

        let edits: [(inout PlanFile) -> Void] = [
            { $0.saved?.allowReplace = true },
            { $0.saved?.targets = ["installation/acme/b"] },
            { $0.changes[1].action = "downgrade" },
            { $0.changes[2].liveFingerprint = .some("f9") },
            { $0.summary["install"] = 0 },
            { $0.source.commit = String(repeating: "d", count: 40) },
            { $0.seal = nil },
        ]
        for edit in edits {
            var edited = file
            edit(&edited)
            #expect(edited != file)
            #expect(throws: SavedPlanError.changed) { try edited.checkSeal(keyMaterial: material) }
        }
    }
}

private struct PlanFileTestError: Error {}
