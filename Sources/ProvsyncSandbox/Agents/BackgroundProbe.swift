import Foundation

/// The server's refresh job (every 5 s by default), on the sandbox clock: each network provider goes online or offline
/// with its agent, and is patched when that state or the served card changes.
extension SandboxState {
    /// Runs the probe once if one or more intervals have passed since the last.
    func probeIfDue() {
        let now = self.now
        guard now >= nextProbe else { return }
        let interval = configuration.probeInterval
        let missed = (now.timeIntervalSince(nextProbe) / interval).rounded(.down)
        nextProbe = nextProbe.addingTimeInterval((missed + 1) * interval)
        probe(at: now)
    }

    /// The patch of the refresh job: card replaced by the served one, origin recomputed, updated_at moved.
    func probe(at now: Date) {
        for (id, provider) in world.providers where provider.isNetwork && provider.registry == nil {
            guard let location = NormalizedLocation(provider.source, localNetwork: configuration.localNetwork) else {
                continue
            }
            let served = agents.card(for: location).flatMap { try? AgentCardNormalizer.normalize($0).get() }
            let state = served == nil ? "offline" : "online"
            let cardChanged = served.map { $0 != provider.agentCard } ?? false
            guard state != provider.probedState || cardChanged else { continue }
            var patched = provider
            if let served { patched.agentCard = served }
            patched.probedState = state
            patched.origin = location.origin
            patched.updatedAt = now
            if served != nil { patched.lastActiveAt = now }
            world.providers[id] = patched
        }
    }
}
