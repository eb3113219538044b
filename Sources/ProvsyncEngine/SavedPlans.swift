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
    /// `PROVSYNC_PLAN_KEY`, else the credentials each API is sent, by the same rules (empty values count as
    /// unset); nil when there are none.
    init?(environment: [String: String], variables: CredentialVariables = .standard) {
        if let key = environment["PROVSYNC_PLAN_KEY"], !key.isEmpty {
            self.init(source: "PROVSYNC_PLAN_KEY", secret: Array(key.utf8))
            return
        }
        guard let material = APICredentials(variables: variables, environment: environment).keyMaterial else { return nil }
        self.init(source: material.source, secret: material.secret)
    }
}

extension ManifestRequest {
    /// The request that reads the manifests a saved plan was made from: its commit, unless it was made from
    /// the working tree, and its environment.
    package func reading(_ saved: PlanFile) -> ManifestRequest {
        var request = self
        if let commit = saved.source.commit, !saved.source.worktree {
            request.ref = commit
        }
        if let environment = saved.source.environment {
            request.environment = environment
        }
        return request
    }
}
