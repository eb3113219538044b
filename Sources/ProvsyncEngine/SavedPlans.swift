import Foundation
import ProvsyncManifests
import ProvsyncModel

extension Engine {
    /// Reads a plan saved with `plan --out`.
    package func readSavedPlan(at path: String) throws(EngineError) -> PlanFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableSavedPlan(path: path)
        }
        do throws(SavedPlanError) {
            return try PlanFile.readSaved(data)
        } catch {
            throw .savedPlan(path: path, reason: error.description)
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
