import Testing
import ProvsyncModel

@Suite("Agent locations")
struct AgentLocationTests {
    @Test("images are normalised as the agent API does, and their origin drops tag and digest",
          arguments: [
              ("foo", "docker.io/library/foo:latest", "docker.io/library/foo"),
              ("foo:1.0", "docker.io/library/foo:1.0", "docker.io/library/foo"),
              ("acme/agent", "docker.io/acme/agent:latest", "docker.io/acme/agent"),
              ("ghcr.io/acme/research-agent:1.2.0", "ghcr.io/acme/research-agent:1.2.0", "ghcr.io/acme/research-agent"),
              ("localhost:5000/agent:dev", "localhost:5000/agent:dev", "localhost:5000/agent"),
              ("localhost/agent", "localhost/agent:latest", "localhost/agent"),
              ("index.docker.io/library/redis", "docker.io/library/redis:latest", "docker.io/library/redis"),
              ("registry.example.com:443/team/sub/agent:v2",
               "registry.example.com:443/team/sub/agent:v2", "registry.example.com:443/team/sub/agent"),
              ("ghcr.io/acme/a@sha256:" + String(repeating: "ab", count: 32),
               "ghcr.io/acme/a@sha256:" + String(repeating: "ab", count: 32), "ghcr.io/acme/a"),
              ("ghcr.io/acme/a:1@sha256:" + String(repeating: "0", count: 64),
               "ghcr.io/acme/a:1@sha256:" + String(repeating: "0", count: 64), "ghcr.io/acme/a"),
          ])
    func images(location: String, normalized: String, origin: String) throws {
        let parsed = try AgentLocation.parse(location).get()
        #expect(parsed.normalized == normalized)
        #expect(parsed.origin == origin)
    }

    @Test("URLs are kept, with a trailing slash when they have no path",
          arguments: [
              ("https://agent.example.com", "https://agent.example.com/"),
              ("http://10.0.0.5:8000", "http://10.0.0.5:8000/"),
              ("https://agent.example.com/a2a", "https://agent.example.com/a2a"),
              ("https://agent.example.com/", "https://agent.example.com/"),
          ])
    func urls(location: String, normalized: String) throws {
        let parsed = try AgentLocation.parse(location).get()
        #expect(parsed.normalized == normalized)
        #expect(parsed.origin == normalized)
    }

    @Test("malformed locations explain themselves",
          arguments: [
              ("", "it is empty"),
              ("Acme/Agent", "each path part must be lowercase"),
              ("acme//agent", "each path part must be lowercase"),
              ("acme/agent:", "the tag may hold"),
              ("acme/agent:-bad", "the tag may hold"),
              ("acme/agent@sha256:xyz", "the digest must look like"),
              ("https://", "has no host"),
              ("https://a b", "white space"),
          ])
    func malformed(location: String, reason: String) {
        guard case .failure(let error) = AgentLocation.parse(location) else {
            Issue.record("\(location) should not parse")
            return
        }
        #expect(error.message.contains(reason), "\(error.message)")
    }
}
