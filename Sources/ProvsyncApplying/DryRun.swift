import ProvsyncLive
import ProvsyncModel

extension Applier {
    /// Everything but the writes: refusals are reported, pinned versions are checked against the store's
    /// published versions, and agent provider creates are sent to the API's preview endpoint, which
    /// validates them and stores nothing.
    package func dryRun(_ executable: ExecutablePlan) async -> ApplyReport {
        var results: [ApplyResult] = []
        for change in executable.plan.changes {
            let outcome: ApplyOutcome
            if let refusal = change.refusal {
                outcome = .notAttempted("refused: \(refusal)")
            } else if let operation = executable.operations[change.address] {
                outcome = await check(operation)
            } else {
                outcome = .notAttempted("no operation was planned")
            }
            results.append(ApplyResult(address: change.address, action: change.action, outcome: outcome))
        }
        return ApplyReport(results: results)
    }

    private func check(_ operation: PlannedOperation) async -> ApplyOutcome {
        do {
            switch operation {
            case .install(let request), .replace(let request):
                guard let version = request.version else { return .wouldApply("install the latest version") }
                return try await published(version, of: request.providerName)
            case .upgrade(let name, let version), .downgrade(let name, let version):
                return try await published(version, of: name)
            case .create(let request):
                let preview = try await reader.preview(request)
                return .wouldApply("the API accepts it (preview: \(preview.source), origin \(preview.origin))")
            case .update(let id, _):
                return .wouldApply("PATCH provider \(id)")
            }
        } catch {
            return .failed(error.description)
        }
    }

    private func published(_ version: String, of providerName: String) async throws(APIError) -> ApplyOutcome {
        let versions = try await reader.versions(of: providerName)
        guard versions.contains(version) else {
            return .failed("version \(version) of \(providerName) is not published (published: "
                           + "\(versions.prefix(8).joined(separator: ", ")))")
        }
        return .wouldApply("version \(version) is published")
    }
}
