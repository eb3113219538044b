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
        liveFingerprint: fingerprint, refusal: action == .replace ? "not allowed" : nil)
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
        let file = PlanFile(plan, saved: (targets: ["installation/acme/*"], allowReplace: true))
        let text = try file.encoded()
        let decoded = try JSONDecoder().decode(PlanFile.self, from: Data(text.utf8))
        #expect(decoded == file)
        #expect(try PlanFile.readSaved(Data(text.utf8)) == file)
        #expect(decoded.saved?.targets == ["installation/acme/*"] && decoded.saved?.allowReplace == true)
        #expect(decoded.changes.map(\.liveFingerprint) == [.some(nil), .some("f1"), .some("f2")])
        #expect(decoded.staleness(comparedWith: plan) == nil)
    }

    @Test("the JSON plan has no saved part and no fingerprints, and is refused as a saved plan")
    func jsonPlanIsNotSaved() throws {
        let text = try PlanFile(plan).encoded()
        #expect(!text.contains("live_fingerprint") && !text.contains("\"saved\""))
        #expect(text.contains("\"commit\" : \"cccc"))
        #expect(throws: SavedPlanError("this is a plan printed with --format json, not a saved plan; save one with --out")) {
            try PlanFile.readSaved(Data(text.utf8))
        }
        #expect(throws: SavedPlanError("not a saved provsync plan (write one with `provsync plan --out FILE`)")) {
            try PlanFile.readSaved(Data("{}".utf8))
        }
    }

    @Test("a null commit and a working-tree source are kept")
    func workingTree() throws {
        var local = plan
        local.source = ManifestSource(repository: "/repo", ref: "working tree", commit: nil, isWorkingTree: true)
        let text = try PlanFile(local, saved: ([], false)).encoded()
        #expect(text.contains("\"commit\" : null"))
        let decoded = try PlanFile.readSaved(Data(text.utf8))
        #expect(decoded.source == PlanFile.Source(repo: "/repo", ref: "working tree", commit: nil, worktree: true))
    }

    @Test("staleness names the objects whose live state moved, or the manifests")
    func staleness() throws {
        let file = PlanFile(plan, saved: ([], false))
        var moved = plan
        moved.changes[1].liveFingerprint = "other"
        #expect(file.staleness(comparedWith: moved) == "live state changed for installation/acme/b")
        var unchanged = plan
        unchanged.unchangedFingerprints["installation/acme/d"] = "other"
        #expect(file.staleness(comparedWith: unchanged) == "live state changed for installation/acme/d")
        var edited = plan
        edited.desiredDigest = "other"
        #expect(file.staleness(comparedWith: edited) == "the manifests or the environment variables they read have changed")
    }
}
