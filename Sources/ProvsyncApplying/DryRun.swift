import ProvsyncLive
import ProvsyncModel

/// `apply --dry-run`: everything but the writes, holding only the read-only client. Refusals are
/// reported, pinned versions are checked against the store's published versions, and agent provider
/// creates and updates are sent to the API's preview endpoint, which validates them and stores nothing.
package struct DryRun: Sendable {
    package var reader: LiveReader

    package init(reader: LiveReader) {
        self.reader = reader
    }

    /// Every change checked, at most `parallelism` API calls at a time; the results in the plan's order.
    package func check(_ executable: ExecutablePlan, parallelism: Int = 8) async -> ApplyReport {
        let results = await WorkQueue(executable.plan.changes).map(width: parallelism) { change in
            let outcome: ApplyOutcome
            if let refusal = change.refusal {
                outcome = .notAttempted("refused: \(refusal)")
            } else if let operation = executable.operations[change.address] {
                outcome = await check(operation, preview: executable.previews[change.address])
            } else {
                outcome = .notAttempted("no operation was planned")
            }
            return ApplyResult(address: change.address, action: change.action, outcome: outcome)
        }
        return ApplyReport(results: results)
    }

    private func check(_ operation: PlannedOperation, preview: AgentProviderRequest?) async -> ApplyOutcome {
        do {
            switch operation {
            case .install(let request), .replace(let request):
                guard let version = request.version else { return .wouldApply("install the latest version") }
                return try await published(version, of: request.providerName)
            case .upgrade(let name, let version), .downgrade(let name, let version):
                return try await published(version, of: name)
            case .create(let request):
                let answer = try await reader.preview(request)
                return .wouldApply("the API accepts it (preview: \(answer.source), origin \(answer.origin))")
            case .update(let id, _):
                guard let preview else { return .wouldApply("PATCH provider \(id)") }
                let answer = try await reader.preview(preview)
                return .wouldApply("the API accepts the new state (preview: \(answer.source)); PATCH provider \(id)")
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
