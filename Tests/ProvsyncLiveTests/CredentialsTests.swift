import Foundation
import ProvsyncLive
import Testing

@Suite("Credentials and endpoints")
struct CredentialsTests {
    @Test("PROVSYNC_TOKEN wins over the Basic pair; the secret is never printed")
    func bearer() {
        let credentials = Credentials(environment: [
            "PROVSYNC_TOKEN": "tok-SECRET-123", "PROVSYNC_USERNAME": "u", "PROVSYNC_PASSWORD": "pw-SECRET",
        ])
        #expect(credentials.scheme == .bearer)
        #expect(credentials.description == "bearer token (from PROVSYNC_TOKEN)")
        Self.expectNoSecret(credentials, ["tok-SECRET-123", "pw-SECRET"])
    }

    @Test("the Basic pair; the password is never printed")
    func basic() {
        let credentials = Credentials(environment: ["PROVSYNC_USERNAME": "x", "PROVSYNC_PASSWORD": "pw-SECRET"])
        #expect(credentials.scheme == .basic(username: "x"))
        #expect(credentials.description == "basic auth as \"x\" (from PROVSYNC_USERNAME/PROVSYNC_PASSWORD)")
        Self.expectNoSecret(credentials, ["pw-SECRET", Data("x:pw-SECRET".utf8).base64EncodedString()])
    }

    @Test("none, empty values, and a user name without a password")
    func none() {
        #expect(Credentials(environment: [:]).isEmpty)
        #expect(Credentials(environment: ["PROVSYNC_TOKEN": ""]).scheme == .none)
        let half = Credentials(environment: ["PROVSYNC_USERNAME": "x"])
        #expect(half.isEmpty)
        #expect(half.description == "no credentials (PROVSYNC_USERNAME is set but PROVSYNC_PASSWORD is not)")
        #expect(Credentials(environment: ["PROVSYNC_PASSWORD": "p"]).scheme == .basic(username: ""))
    }

    static func expectNoSecret(_ credentials: Credentials, _ secrets: [String]) {
        var dumped = ""
        dump(credentials, to: &dumped)
        let renderings = [
            credentials.description, credentials.debugDescription, "\(credentials)", String(reflecting: credentials),
            dumped, "\([credentials])", "\(Optional(credentials) as Any)",
        ]
        for rendering in renderings {
            for secret in secrets {
                #expect(!rendering.contains(secret), "\(rendering)")
            }
        }
    }

    @Test("endpoints: the more specific URL wins; a trailing slash is dropped")
    func endpoints() throws {
        let both = try APIEndpoints.resolve(apiURL: "http://127.0.0.1:8080/", storeURL: nil, agentsURL: nil)
        #expect(both.storeURL.absoluteString == "http://127.0.0.1:8080")
        #expect(both.agentsURL == both.storeURL)
        let split = try APIEndpoints.resolve(apiURL: "https://api.example.com", storeURL: nil,
                                             agentsURL: "https://agents.example.com/base/")
        #expect(split.storeURL.absoluteString == "https://api.example.com")
        #expect(split.agentsURL.absoluteString == "https://agents.example.com/base")
        let own = try APIEndpoints.resolve(apiURL: nil, storeURL: "https://s", agentsURL: "https://a")
        #expect(own.storeURL.host == "s")
        #expect(own.agentsURL.host == "a")
    }

    @Test("endpoints: clear errors", arguments: [
        (nil, nil, nil, "no API URL given"),
        (nil, "https://s", nil, "no URL for the agent API: pass --agents-url or --api-url"),
        (nil, nil, "https://a", "no URL for the store API: pass --store-url or --api-url"),
        ("ftp://x", nil, nil, "--api-url \"ftp://x\" is not an http(s) URL"),
        ("api.example.com", nil, nil, "--api-url \"api.example.com\" is not an http(s) URL"),
        ("https://h", "https://s?x=1", nil, "--store-url \"https://s?***\" must not carry a query"),
        ("https://h?token=pw-SECRET", nil, nil, "--api-url \"https://h?***\" must not carry a query"),
        ("https://h#pw-SECRET", nil, nil, "--api-url \"https://h#***\" must not carry a query"),
        ("https://user:pw-SECRET@h", nil, nil, "--api-url must not carry credentials"),
    ] as [(String?, String?, String?, String)])
    func endpointErrors(api: String?, store: String?, agents: String?, expected: String) {
        #expect(throws: EndpointError.self) {
            try APIEndpoints.resolve(apiURL: api, storeURL: store, agentsURL: agents)
        }
        do {
            _ = try APIEndpoints.resolve(apiURL: api, storeURL: store, agentsURL: agents)
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error)")
            #expect(!error.description.contains("pw-SECRET"))
        }
    }
}
