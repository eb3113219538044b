import ProvsyncModel

/// What a network (http/https) agent provider cannot manage. Every 5 s the agent API probes each network
/// provider, replaces its stored card with the one the agent serves and recomputes its origin from the location,
/// so a card or a foreign origin in a manifest would never converge. Image providers keep both.
enum NetworkProviderRules {
    /// Why a network provider cannot set `agent_card`; nil for an image provider.
    static func agentCard(of location: AgentLocation) -> String? {
        guard case .url = location else { return nil }
        return "\"spec.agent_card\" cannot be set for a network provider: the server replaces the stored card with "
            + "the one the agent serves within 5 s, so it would show as a change on every plan; remove it and let "
            + "the agent serve its card"
    }

    /// Why a network provider cannot pin `origin`; nil when the pin is the derived origin (in any spelling the
    /// server may store for a loopback host) or the provider runs from an image.
    static func pinnedOrigin(_ origin: String, of location: AgentLocation) -> String? {
        guard case .url = location else { return nil }
        let spellings = location.originSpellings
        guard !spellings.contains(origin) else { return nil }
        let others = spellings.subtracting([location.origin]).sorted().map { "\"\($0)\"" }
        let derived = "\"\(location.origin)\"" + (others.isEmpty ? "" : " (or \(others.joined(separator: ", ")))")
        return "\"spec.origin\" \"\(origin)\" cannot be pinned on a network provider: the server recomputes the "
            + "origin from the location on every probe and every PATCH, so it would be \(derived) again and show as "
            + "a change on every plan; remove it"
    }
}
