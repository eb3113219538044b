import ProvsyncLive
import ProvsyncModel
import ProvsyncPlanning

/// Agent providers: a create checks, by the pairing rule, that no provider has taken its origin or its location
/// since the plan; an update reads
/// the provider again (with its variables when the plan read them) and compares fingerprints. A lost answer
/// is followed by a read: a create is confirmed by a provider with the origin, an update by every field it
/// sent showing, and only a change that does not show is sent again.
extension AgentProviderKind: KindExecution {
    package static func conflict(for change: PlannedChange, _ operation: AgentProviderOperation,
                                 context: ExecutionContext) async -> ApplyOutcome? {
        await ExecutionContext.checking { () async throws(APIError) -> ApplyOutcome? in
            switch operation {
            case .create(let create):
                // The pairing rule: a provider with the origin, else one at the location (the server's identity).
                if let existing = try await provider(origin: create.origin, in: context.reader) {
                    return .notAttempted(ExecutionContext.changedMessage(
                        "an agent provider with this origin (\(existing.id)) was created"))
                }
                // by-location finds an image provider only under its normalised spelling: ask with the source.
                if let existing = try await context.reader.agentProvider(atLocation: create.source) {
                    return .notAttempted(ExecutionContext.changedMessage(
                        "an agent provider at this location (\(existing.id)) was created"))
                }
                return nil
            case .update(let update):
                let now = try await context.reader.agentProvider(id: update.id, includingVariables: update.readsVariables)
                    .map { context.fingerprints.of($0, Self.self) }
                return ExecutionContext.unchanged(now, since: change)
            case .delete(let id, _):
                let now = try await context.reader.agentProvider(id: id, includingVariables: false)
                    .map { context.fingerprints.of($0, Self.self) }
                return ExecutionContext.deletable(now, since: change)
            }
        }
    }

    package static func perform(_ operation: AgentProviderOperation, context: ExecutionContext) async -> ApplyOutcome {
        let writer = context.writer
        let reader = context.reader
        switch operation {
        case .create(let create):
            return await context.attempts.run { () async throws(APIError) -> String in
                "created \((try await writer.createAgentProvider(create.request)).id)"
            } confirm: { () async throws(APIError) -> Bool in
                try await provider(origin: create.origin, in: reader) != nil
            }
        case .update(let update):
            return await context.attempts.run { () async throws(APIError) -> String in
                _ = try await writer.updateAgentProvider(id: update.id, update.request)
                return "updated \(update.id)"
            } confirm: { () async throws(APIError) -> Bool in
                let includingVariables = update.request.variables != nil
                guard let live = try await reader.agentProvider(id: update.id, includingVariables: includingVariables)
                else { return false }
                return shows(update.request, source: update.source, in: live)
            }
        case .delete(let id, let origin):
            return await context.attempts.run { () async throws(APIError) -> String in
                try await writer.deleteAgentProvider(id: id, origin: origin)
                return "deleted \(id)"
            } confirm: { () async throws(APIError) -> Bool in
                try await reader.agentProvider(id: id, includingVariables: false) == nil
            }
        }
    }

    /// Creates and updates are sent to the preview endpoint, which validates them and stores nothing, and the
    /// dry run checks what preview does not: that no provider holds the location or the id the server would
    /// give (the server refuses such a create as a duplicate, and a PATCH to a taken location with a 500), and
    /// that the server would store the location as the plan expects (else the next plan would not converge).
    package static func check(_ operation: AgentProviderOperation, reader: any LiveReading) async -> ApplyOutcome {
        do throws(APIError) {
            switch operation {
            case .create(let create):
                if let existing = try await reader.agentProvider(atLocation: create.source) {
                    return .wouldFail("provider \(existing.id) already holds this location (source \(existing.source)); "
                                   + "the server would refuse the create as a duplicate")
                }
                let answer = try await reader.preview(create.request)
                if let mismatch = sourceMismatch(answer.source, expected: create.source) { return .wouldFail(mismatch) }
                if try await reader.agentProvider(id: answer.id, includingVariables: false) != nil {
                    return .wouldFail("provider \(answer.id), the id the server derives from \(answer.source), already "
                                   + "exists (a provider moved away from a location keeps the id it had there); "
                                   + "the server would refuse the create as a duplicate")
                }
                return .wouldApply("the API accepts it (preview: \(answer.source), origin \(create.origin))")
            case .update(let update):
                if update.request.location != nil, let holder = try await reader.agentProvider(atLocation: update.source),
                   holder.id != update.id {
                    return .wouldFail("provider \(holder.id) already holds the new location (source \(holder.source)); "
                                   + "the server would refuse the PATCH (500)")
                }
                let answer = try await reader.preview(update.wholeProvider)
                if let mismatch = sourceMismatch(answer.source, expected: update.source) { return .wouldFail(mismatch) }
                return .wouldApply("the API accepts the new state (preview: \(answer.source)); PATCH provider \(update.id)")
            case .delete(let id, _):
                guard try await reader.agentProvider(id: id, includingVariables: false) != nil else {
                    return .wouldApply("already absent; nothing would be sent")
                }
                return .wouldApply("DELETE provider \(id)")
            }
        } catch {
            return DryRun.outcome(after: error)
        }
    }

    private static func sourceMismatch(_ answered: String, expected: String) -> String? {
        guard answered != expected else { return nil }
        return "the server would store the location as \(answered), not \(expected) as planned, so the next plan "
            + "would not converge; plan again"
    }

    /// Nothing is known against an agent provider change until preview is asked (the dry run does).
    package static func refusal(of operation: AgentProviderOperation, reader: any LiveReading) async -> String? {
        nil
    }

    /// Whether every field a PATCH sent shows on the provider read back (`source`: the location as the plan
    /// expects the server to store it).
    static func shows(_ request: AgentProviderRequest, source: String, in live: LiveAgentProvider) -> Bool {
        if request.location != nil, live.source != source { return false }
        if let origin = request.origin, live.origin != origin { return false }
        if let timeout = request.autoStopTimeoutSec, live.autoStopTimeoutSec != timeout { return false }
        if let variables = request.variables, live.variables != variables { return false }
        if let card = request.agentCard,
           live.agentCard.map(AgentCardRules.comparable) != AgentCardRules.comparable(card) { return false }
        return true
    }

    private static func provider(origin: String, in reader: any LiveReading) async throws(APIError) -> LiveAgentProvider? {
        try await reader.agentProviders(origin: origin).first { $0.origin == origin }
    }
}
