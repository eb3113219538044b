import Foundation
import ProvsyncLive
import ProvsyncManifests
import ProvsyncModel

extension Engine {
    /// Reads a plan saved with `plan --out` and checks its seal, before any API call.
    package func readSavedPlan(at path: String) throws(EngineError) -> PlanFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableSavedPlan(path: path)
        }
        do throws(SavedPlanError) {
            return try PlanFile.readSaved(data, keyMaterial: planKeyMaterial)
        } catch {
            throw .savedPlan(path: path, reason: error.description)
        }
    }

    /// What saved plans are keyed with here: `PROVSYNC_PLAN_KEY`, else the API credentials as
    /// `Credentials(environment:)` takes them; nil when there are none.
    package var planKeyMaterial: PlanKeyMaterial? {
        PlanKeyMaterial(environment: environment)
    }

}

extension Workspace {
    /// What `plan --out` warns of: without key material, the saved plan's digests leave secrets out and its
    /// seal is a plain SHA-256.
    package var savedPlanWarnings: [Diagnostic] {
        guard engine.planKeyMaterial == nil else { return [] }
        return [.warning("no PROVSYNC_PLAN_KEY or API credentials: the saved plan leaves secrets out of its digests, "
                         + "so a changed secret alone does not make it stale, and its seal does not stop a deliberate "
                         + "edit; set PROVSYNC_PLAN_KEY for plan and apply")]
    }
}

extension PlanKeyMaterial {
    /// `PROVSYNC_PLAN_KEY`, else the token or the user name and password that `Credentials` sends, by the
    /// same rules (empty values count as unset); nil when there is none.
    init?(environment: [String: String]) {
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        if let key = value("PROVSYNC_PLAN_KEY") {
            self.init(source: "PROVSYNC_PLAN_KEY", secret: Array(key.utf8))
            return
        }
        switch Credentials(environment: environment).scheme {
        case .none:
            return nil
        case .bearer:
            self.init(source: "PROVSYNC_TOKEN", secret: Array((value("PROVSYNC_TOKEN") ?? "").utf8))
        case .basic(let username):
            self.init(source: "PROVSYNC_USERNAME/PROVSYNC_PASSWORD",
                      secret: Array(username.utf8) + [0] + Array((value("PROVSYNC_PASSWORD") ?? "").utf8))
        }
    }
}

extension ManifestRequest {
    /// The request that reads the manifests a saved plan was made from: its commit, unless it was made from
    /// the working tree.
    package func reading(_ saved: PlanFile) -> ManifestRequest {
        var request = self
        if let commit = saved.source.commit, !saved.source.worktree {
            request.ref = commit
        }
        return request
    }
}
