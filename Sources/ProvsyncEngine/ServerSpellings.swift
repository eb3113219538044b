import ProvsyncLive
import ProvsyncModel
import ProvsyncPlanning
import ProvsyncSupport

/// How the server spells the locations whose stored form depends on its configuration: a loopback host
/// becomes `host.docker.internal`, or stays, or `host.docker.internal` becomes `localhost`, by a setting
/// the client cannot see. Asked of the server before pairing, so that a plan never proposes a create the
/// server would call a duplicate: `by-location` answers for a location it holds (under any spelling), and
/// `preview` says what a create would store. A location neither answers for (an unreachable agent, a caller
/// not allowed to preview) keeps the client's own normalisation. A `--changed-only` plan (and the apply of
/// its saved plan) asks only about the agent providers of its scope: one or two requests per changed
/// provider at most, however many others there are.
enum ServerSpellings {
    /// Manifest location → the `source` the server stores or would store for it, for the locations of the
    /// agent providers of `desired` at the addresses of `scope` (nil: every one) that depend on the server.
    static func learn(for desired: DesiredState, scope: Set<ResourceAddress>?, reader: LiveReader,
                      parallelism: Int) async -> [String: String] {
        await learn(for: desired.locationsDependingOnServer(within: scope), reader: reader, parallelism: parallelism)
    }

    /// Manifest location → the `source` the server stores or would store for it.
    static func learn(for locations: [String], reader: LiveReader, parallelism: Int) async -> [String: String] {
        guard !locations.isEmpty else { return [:] }
        let answers = await WorkQueue(locations).map(width: parallelism) { location -> String? in
            if let stored = try? await reader.agentProvider(atLocation: location) {
                return stored.source
            }
            return try? await reader.preview(AgentProviderRequest(location: location)).source
        }
        var sources: [String: String] = [:]
        for (location, source) in zip(locations, answers) {
            if let source { sources[location] = source }
        }
        return sources
    }
}
