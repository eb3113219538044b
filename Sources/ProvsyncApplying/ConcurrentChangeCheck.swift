import ProvsyncLive
import ProvsyncModel
import ProvsyncPlanning

/// Reads a change's object again just before its first write and compares it with the fingerprint the
/// plan recorded, so that an apply does not undo what another apply (two CI jobs on one platform) or a hand
/// changed after the plan was made. The APIs have no conditional writes: this narrows the window to the
/// time between the read and the write; it cannot close it.
struct ConcurrentChangeCheck: Sendable {
    let reader: LiveReader
    let fingerprints: LiveFingerprints
    let installations: SharedInstallationReads

    init(reader: LiveReader, salt: String) {
        self.reader = reader
        fingerprints = LiveFingerprints(salt: salt)
        installations = SharedInstallationReads(reader: reader)
    }

    /// nil when the object is as the plan saw it; otherwise the outcome of the change, which is not sent.
    func conflict(for change: PlannedChange, _ operation: PlannedOperation) async -> ApplyOutcome? {
        do throws(APIError) {
            let now: String?
            switch operation {
            case .install:
                // Nothing to compare: the API itself refuses (409) to install what is already installed.
                return nil
            case .upgrade(let name, _), .downgrade(let name, _):
                now = try await installations.fresh()[name].map(fingerprints.of)
            case .replace(let request):
                now = try await installations.fresh()[request.providerName].map(fingerprints.of)
            case .create(let request):
                guard let origin = request.resultingOrigin else { return nil }
                if let existing = try await reader.agentProvider(origin: origin) {
                    return .notAttempted(Self.changedMessage(
                        "an agent provider with this origin (\(existing.id)) was created"))
                }
                return nil
            case .update(let id, _):
                now = try await reader.agentProvider(id: id, includingVariables: true).map(fingerprints.of)
            }
            guard now != change.liveFingerprint else { return nil }
            return .notAttempted(Self.changedMessage(now == nil ? "it was removed" : "it was changed"))
        } catch {
            return .failed("reading it again before the write failed, so nothing was sent: \(error)")
        }
    }

    private static func changedMessage(_ what: String) -> String {
        "\(what) after the plan was made (by another apply, or by hand), so nothing was sent: "
            + "run plan again to see the live state"
    }
}

extension AgentProviderRequest {
    /// The origin a create with this body makes: the one sent, else the one the API derives from the location.
    var resultingOrigin: String? {
        origin ?? location.flatMap { try? AgentLocation.parse($0).get() }?.origin
    }
}
