import Testing
import ProvsyncModel

@Suite("Agent locations")
struct AgentLocationTests {
    @Test("images are normalised as the recorded agent API does, and their origin drops tag and digest",
          arguments: [
              ("foo", "docker.io/library/foo:latest", "docker.io/library/foo"),
              ("foo:latest", "docker.io/library/foo:latest", "docker.io/library/foo"),
              ("docker.io/library/foo", "docker.io/library/foo:latest", "docker.io/library/foo"),
              ("foo:1.0", "docker.io/library/foo:1.0", "docker.io/library/foo"),
              ("acme/agent", "docker.io/acme/agent:latest", "docker.io/acme/agent"),
              ("ghcr.io/acme/research-agent:1.2.0", "ghcr.io/acme/research-agent:1.2.0", "ghcr.io/acme/research-agent"),
              ("registry.test:5000/agents/echo", "registry.test:5000/agents/echo:latest", "registry.test:5000/agents/echo"),
              ("127.0.0.1:5000/agent:dev", "127.0.0.1:5000/agent:dev", "127.0.0.1:5000/agent"),
              ("index.docker.io/foo", "index.docker.io/library/foo:latest", "index.docker.io/library/foo"),
              ("index.docker.io/library/redis", "index.docker.io/library/redis:latest", "index.docker.io/library/redis"),
              ("registry.example.com:443/team/sub/agent:v2",
               "registry.example.com:443/team/sub/agent:v2", "registry.example.com:443/team/sub/agent"),
              ("ghcr.io/acme/a:1@sha256:" + String(repeating: "0", count: 64),
               "ghcr.io/acme/a:1@sha256:" + String(repeating: "0", count: 64), "ghcr.io/acme/a"),
              ("ghcr.io/acme/a:V1", "ghcr.io/acme/a:V1", "ghcr.io/acme/a"),
          ])
    func images(location: String, normalized: String, origin: String) throws {
        let parsed = try AgentLocation.parse(location).get()
        #expect(parsed.normalized == normalized)
        #expect(parsed.origin == origin)
    }

    @Test("URLs are normalised as the recorded server does: host lower-cased, default port dropped, empty path /",
          arguments: [
              ("https://agent.example.com", "https://agent.example.com/"),
              ("http://10.0.0.5:8000", "http://10.0.0.5:8000/"),
              ("https://agent.example.com/a2a", "https://agent.example.com/a2a"),
              ("https://agent.example.com/", "https://agent.example.com/"),
              ("http://agent-a.test:18601?team=blue", "http://agent-a.test:18601/?team=blue"),
              ("http://agent-a.test:18601/?team=blue", "http://agent-a.test:18601/?team=blue"),
              ("http://AGENT-A.TEST:18601/", "http://agent-a.test:18601/"),
              ("http://agent-a.test:80/", "http://agent-a.test/"),
              ("https://agent-a.test:443", "https://agent-a.test/"),
              ("http://agent-a.test:443/", "http://agent-a.test:443/"),
              ("http://agent-a.test:18601//x/Y", "http://agent-a.test:18601//x/Y"),
              ("http://agent-a.test:18601#frag", "http://agent-a.test:18601/#frag"),
          ])
    func urls(location: String, normalized: String) throws {
        let parsed = try AgentLocation.parse(location).get()
        #expect(parsed.normalized == normalized)
        #expect(parsed.origin == normalized)
    }

    @Test("malformed locations explain themselves",
          arguments: [
              ("", "it is empty"),
              ("Acme/Agent", "does not lower-case image names, and the registry has no repository \"Acme/Agent\""),
              ("PUBFOO", "does not lower-case image names"),
              ("Registry.Test:5000/agents/echo:1.0", "does not lower-case the registry \"Registry.Test:5000\""),
              ("localhost:5000/agent:dev", "reads this as the Docker Hub repository library/localhost with the tag "
                  + "5000/agent:dev, which it cannot resolve; name the registry with a dot (a registry on this machine "
                  + "as 127.0.0.1:5000/…)"),
              ("myregistry:5000/x", "the Docker Hub repository library/myregistry with the tag 5000/x"),
              ("localhost/agent", "reads this as the Docker Hub image docker.io/localhost/agent"),
              ("ghcr.io/acme/a@sha256:" + String(repeating: "ab", count: 32),
               "misreads a digest without a tag (it takes the digest's hex for the tag) and cannot resolve it; add the tag: "
                  + "ghcr.io/acme/a:<tag>@sha256:"),
              ("acme//agent", "each path part must be lowercase"),
              ("acme/agent:", "the tag may hold"),
              ("acme/agent:-bad", "the tag may hold"),
              ("acme/agent@sha256:xyz", "the digest must look like"),
              ("https://", "has no host"),
              ("http://:8000/", "has no host"),
              ("https://a b", "white space"),
              ("http://agent.test:99999/", "a port is a number up to 65535"),
              ("http://user:secret@agent.test/", "holds credentials"),
              ("HTTP://agent.test/", "write the URL scheme in lowercase"),
          ])
    func malformed(location: String, reason: String) {
        guard case .failure(let error) = AgentLocation.parse(location) else {
            Issue.record("\(location) should not parse")
            return
        }
        #expect(error.message.contains(reason), "\(error.message)")
    }

    @Test("loopback hosts depend on the server's configuration; other hosts and images do not",
          arguments: [("http://127.0.0.1:8000/", true), ("http://LOCALHOST:8000", true),
                      ("http://host.docker.internal:8000/", true), ("http://agent.test/", false), ("ghcr.io/a/b:1", false)])
    func serverDependent(location: String, dependent: Bool) throws {
        #expect(try AgentLocation.parse(location).get().dependsOnServerConfiguration == dependent)
    }
}
