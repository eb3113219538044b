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
            case .create(let request):
                // The pairing rule: a provider with the origin, else one at the location (the server's identity).
                if let origin = request.resultingOrigin, let existing = try await provider(origin: origin, in: context.reader) {
                    return .notAttempted(ExecutionContext.changedMessage(
                        "an agent provider with this origin (\(existing.id)) was created"))
                }
                if let location = request.location, let existing = try await context.reader.agentProvider(atLocation: location) {
                    return .notAttempted(ExecutionContext.changedMessage(
                        "an agent provider at this location (\(existing.id)) was created"))
                }
                return nil
            case .update(let update):
                let now = try await context.reader.agentProvider(id: update.id, includingVariables: update.readsVariables)
                    .map { context.fingerprints.of($0, Self.self) }
                return ExecutionContext.unchanged(now, since: change)
            }
        }
    }

    package static func perform(_ operation: AgentProviderOperation, context: ExecutionContext) async -> ApplyOutcome {
        let writer = context.writer
        let reader = context.reader
        switch operation {
        case .create(let request):
            let origin = request.resultingOrigin
            return await context.attempts.run { () async throws(APIError) -> String in
                "created \((try await writer.createAgentProvider(request)).id)"
            } confirm: { () async throws(APIError) -> Bool in
                guard let origin else { return false }
                return try await provider(origin: origin, in: reader) != nil
            }
        case .update(let update):
            return await context.attempts.run { () async throws(APIError) -> String in
                _ = try await writer.updateAgentProvider(id: update.id, update.request)
                return "updated \(update.id)"
            } confirm: { () async throws(APIError) -> Bool in
                let includingVariables = update.request.variables != nil
                guard let live = try await reader.agentProvider(id: update.id, includingVariables: includingVariables)
                else { return false }
                return shows(update.request, in: live)
            }
        }
    }

    /// Creates and updates are sent to the preview endpoint, which validates them and stores nothing.
    package static func check(_ operation: AgentProviderOperation, reader: any LiveReading) async -> ApplyOutcome {
        do throws(APIError) {
            switch operation {
            case .create(let request):
                let answer = try await reader.preview(request)
                return .wouldApply("the API accepts it (preview: \(answer.source), origin \(answer.origin))")
            case .update(let update):
                let answer = try await reader.preview(update.wholeProvider)
                return .wouldApply("the API accepts the new state (preview: \(answer.source)); PATCH provider \(update.id)")
            }
        } catch {
            return .failed(error.description)
        }
    }

    /// Whether every field a PATCH sent shows on the provider read back.
    static func shows(_ request: AgentProviderRequest, in live: LiveAgentProvider) -> Bool {
        if let location = request.location,
           live.source != ((try? AgentLocation.parse(location).get())?.normalized ?? location) { return false }
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
