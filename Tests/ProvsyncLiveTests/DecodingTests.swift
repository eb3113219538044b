import Foundation
@testable import ProvsyncLive
import ProvsyncModel
import Testing

@Suite("Decoding answers and encoding bodies (no network)")
struct DecodingTests {
    @Test("ISO-8601 durations", arguments: [
        ("PT20M", 1200), ("PT1M30S", 90), ("PT1H", 3600), ("PT30S", 30), ("PT0S", 0), ("PT1H0M5S", 3605),
        ("P1D", 86_400), ("P1DT1S", 86_401), ("P2W", 1_209_600), ("PT1.5S", 2), ("PT0,4S", 0), ("pt5m", 300),
    ] as [(String, Int)])
    func durations(text: String, seconds: Int) {
        #expect(ISO8601Duration.seconds(text) == seconds)
    }

    @Test("unreadable durations are nil", arguments: [
        "", "P", "PT", "20M", "1200", "PT20", "PTM", "PT20X", "P1M", "P1Y", "PT1S1M", "PT1M1M", "PT-5S",
        "P1DT", "PT1HT1M", "T20M",
    ])
    func badDurations(text: String) {
        #expect(ISO8601Duration.seconds(text) == nil)
    }

    @Test("error bodies of every form", arguments: [
        (#"{"detail": "Provider acme/x not found"}"#, "Provider acme/x not found"),
        (#"{"detail": {"message": "Nested message", "code": 7}}"#, "Nested message"),
        (#"{"message": "Top-level message"}"#, "Top-level message"),
        (#"{"detail": [{"type": "missing", "loc": ["body", "provider_name"], "msg": "Field required", "input": {"config": {"K": "secret"}}}, {"type": "enum", "loc": ["body", "resource_tier"], "msg": "Input should be 'free', 'standard' or 'performance'", "input": "huge"}]}"#,
         "body.provider_name: Field required; body.resource_tier: Input should be 'free', 'standard' or 'performance'"),
        (#"{"detail": [{"loc": ["body", "variables", 3], "msg": "bad"}]}"#, "body.variables.3: bad"),
        ("  upstream connect error\n  or disconnect  \n", "upstream connect error or disconnect"),
        ("<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
         "502 Bad Gateway 502 Bad Gateway"),
        ("", "Service Unavailable"),
    ])
    func errorBodies(body: String, expected: String) {
        #expect(ErrorBody.message(from: Data(body.utf8), status: 503) == expected)
    }

    @Test("long bodies that are not JSON are shortened")
    func longBody() {
        let message = ErrorBody.message(from: Data(String(repeating: "x", count: 5000).utf8), status: 500)
        #expect(message.count == ErrorBody.maxRawLength + 1)
        #expect(message.hasSuffix("…"))
    }

    @Test("installations and providers decode leniently: unknown keys, missing optionals, wrong types")
    func lenient() throws {
        let installation = #"{"prefix": "acme", "name": "x", "installed_version": "1.0.0", "config": {"N": 5, "S": "s", "Z": null}, "lifecycle_state": "ready", "new_field": [1, 2]}"#
        let decoded = try WireInstallation(wire: JSONParser.parse(Data(installation.utf8))).value
        #expect(decoded.providerName == "acme/x")
        #expect(decoded.config == ["N": "5", "S": "s"])
        #expect(decoded.currentVersion == nil)
        #expect(decoded.upgradePolicy == "manual")

        let provider = #"{"id": "i", "source": "docker.io/a/b:1", "auto_stop_timeout": "soon", "state": 3, "last_error": "boom", "missing_configuration": ["K", {"name": "L"}], "agent_card": null}"#
        let agent = try WireAgentProvider(wire: JSONParser.parse(Data(provider.utf8))).value
        #expect(agent.origin == "docker.io/a/b:1")
        #expect(agent.autoStopTimeoutSec == nil)
        #expect(agent.state == "unknown")
        #expect(agent.lastError == "boom")
        #expect(agent.missingConfiguration == ["K", "L"])
        #expect(agent.agentCard == nil)

        #expect(throws: WireError(.missing("id"))) {
            try WireAgentProvider(wire: JSONParser.parse(Data(#"{"source": "s"}"#.utf8)))
        }
        #expect(throws: WireError(.missing("location"))) {
            try WireAgentProvider(wire: JSONParser.parse(Data(#"{"id": "i"}"#.utf8)))
        }
        let huge = #"{"id": "i", "source": "s", "auto_stop_timeout": 1e19, "variables": {"N": 3.0}}"#
        #expect(try WireAgentProvider(wire: JSONParser.parse(Data(huge.utf8))).value.autoStopTimeoutSec == nil)
        let numbers = #"{"canonical": "acme/x", "config": {"REPLICAS": 3.0, "RATIO": 0.5}}"#
        #expect(try WireInstallation(wire: JSONParser.parse(Data(numbers.utf8))).value.config
                == ["REPLICAS": "3", "RATIO": "0.5"])
        let page = #"{"items": [], "total_count": 0, "has_more": true, "next_page_token": "p2"}"#
        let decodedPage = try WireProviderPage(wire: JSONParser.parse(Data(page.utf8)))
        #expect(decodedPage.hasMore && decodedPage.nextPageToken == "p2")
    }

    static func json(_ value: JSONValue) throws -> String {
        String(decoding: try APIClient.body(value, for: "test"), as: UTF8.self)
    }

    @Test("request bodies: version null when nil, nil agent fields left out, origin only when given")
    func bodies() throws {
        let install = InstallRequest(providerName: "acme/x", version: nil, resourceTier: .free, upgradePolicy: .auto,
                                     config: ["K": "v"])
        #expect(try Self.json(InstallationBodies.install(install))
                == #"{"config":{"K":"v"},"provider_name":"acme/x","resource_tier":"free","upgrade_policy":"auto","version":null}"#)
        #expect(try Self.json(InstallationBodies.upgrade(to: nil)) == #"{"version":null}"#)
        #expect(try Self.json(InstallationBodies.upgrade(to: "1.2.3")) == #"{"version":"1.2.3"}"#)
        #expect(try Self.json(InstallationBodies.downgrade(to: "1.0.0")) == #"{"target_version":"1.0.0"}"#)
        #expect(try Self.json(AgentProviderBodies.body(AgentProviderRequest(autoStopTimeoutSec: 60)))
                == #"{"auto_stop_timeout_sec":60}"#)
        let full = AgentProviderRequest(location: "ghcr.io/a/b:1", origin: "ghcr.io/a/b", agentCard: ["name": "B"],
                                        variables: [:], autoStopTimeoutSec: 10)
        #expect(try Self.json(AgentProviderBodies.body(full))
                == #"{"agent_card":{"name":"B"},"auto_stop_timeout_sec":10,"location":"ghcr.io/a/b:1","origin":"ghcr.io/a/b","variables":{}}"#)
    }

    @Test("request URLs keep the base path and percent-encode segments and query values")
    func urls() throws {
        let base = try #require(URL(string: "https://h.example/base"))
        let request = APIRequest(.get, .agents, ["api", "v1", "providers"],
                                 query: [("origin", "https://a.example/x?y=1&z"), ("page_token", "p 2")])
        #expect(request.url(base: base)?.absoluteString
                == "https://h.example/base/api/v1/providers?origin=https%3A%2F%2Fa.example%2Fx%3Fy%3D1%26z&page_token=p%202")
        let odd = APIRequest(.delete, .store, ["providers", "installed", "ac me", "x/y"])
        #expect(odd.url(base: base)?.absoluteString == "https://h.example/base/providers/installed/ac%20me/x%2Fy")
        #expect(odd.label == "DELETE /providers/installed/ac me/x/y")
    }
}
