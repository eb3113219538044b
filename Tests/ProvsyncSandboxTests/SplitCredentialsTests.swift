import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import ProvsyncSandbox

/// `Basic <base64 of user:password>`.
private func basic(_ user: String, _ password: String) -> String {
    "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
}

/// Runs `body` against a fresh sandbox and stops it afterwards, also when `body` throws.
private func running(_ configuration: SandboxConfiguration, _ body: (SandboxHTTP) async throws -> Void) async throws {
    let sandbox = try await SandboxHTTP.start(configuration)
    do {
        try await body(sandbox)
    } catch {
        await sandbox.stop()
        throw error
    }
    await sandbox.stop()
}

/// The status of creating an agent provider with `authorization`.
private func createStatus(_ sandbox: SandboxHTTP, _ authorization: String) async throws -> Int {
    try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/\(UUID().uuidString.lowercased())"],
                           authorization: authorization).status
}

/// A different credential on each API: the store token, the agents password and the agents (OIDC) token.
private let split = SandboxConfiguration(storeToken: "st0re-token", agentsPassword: "agents-pa55",
                                         agentsToken: "oidc-token")

@Suite("Sandbox credentials per API")
struct SplitCredentialsTests {
    @Test("the store API takes only its own bearer token: anything else is 401 with WWW-Authenticate")
    func storeTakesItsToken() async throws {
        try await running(split) { sandbox in
            let refused: [String?] = [nil, "Bearer oidc-token", "Bearer agents-pa55", basic("admin", "agents-pa55"),
                                      basic("admin", "st0re-token"), "Bearer nope"]
            for authorization in refused {
                let answer = try await sandbox.call("GET", "/providers/installed", authorization: authorization)
                #expect(answer.status == 401, "\(authorization ?? "anonymous")")
                #expect(answer.headers["www-authenticate"] == "Bearer")
                #expect(answer.detail == "Not authenticated")
            }
            let installed = try await sandbox.call("GET", "/providers/installed", authorization: "Bearer st0re-token")
            #expect(installed.status == 200)
            let install = try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/redis"],
                                                 authorization: "Bearer st0re-token")
            #expect(install.status == 201)
        }
    }

    @Test("the agent API takes its Basic password with any user name, or its bearer token")
    func agentsTakeTheirCredentials() async throws {
        try await running(split) { sandbox in
            let accepted = [basic("admin", "agents-pa55"), basic("whoever", "agents-pa55"), basic("", "agents-pa55"),
                            "Bearer oidc-token"]
            for (index, authorization) in accepted.enumerated() {
                let created = try await sandbox.call("POST", "/api/v1/providers",
                                                     json: ["location": "acme/a\(index)", "variables": ["K": "v"]],
                                                     authorization: authorization)
                #expect(created.status == 200, "\(authorization)")
                let id = try #require(created.object["id"] as? String)
                let variables = try await sandbox.call("GET", "/api/v1/providers/\(id)/variables",
                                                       authorization: authorization)
                #expect(variables.status == 200, "\(authorization)")
                let preview = try await sandbox.call("POST", "/api/v1/providers/preview",
                                                     json: ["location": "acme/preview"], authorization: authorization)
                #expect(preview.status == 200, "\(authorization)")
            }
        }
    }

    @Test("on the agent API any other credential, the store token included, is anonymous: reads 200, writes 403")
    func agentsTreatOthersAsAnonymous() async throws {
        try await running(split) { sandbox in
            let created = try await sandbox.call("POST", "/api/v1/providers",
                                                 json: ["location": "acme/kept", "variables": ["K": "secret-value"]],
                                                 authorization: "Bearer oidc-token")
            let id = try #require(created.object["id"] as? String)
            let before = try await sandbox.call("GET", "/api/v1/providers").object["total_count"] as? Int
            let anonymous: [String?] = [nil, "Bearer st0re-token", "Bearer agents-pa55", basic("admin", "oidc-token"),
                                        basic("admin", "st0re-token"), basic("admin", "nope"), "Bearer nope"]
            for authorization in anonymous {
                let label = authorization ?? "anonymous"
                #expect(try await sandbox.call("GET", "/api/v1/providers", authorization: authorization).status == 200,
                        "\(label)")
                #expect(try await sandbox.call("GET", "/api/v1/providers/\(id)", authorization: authorization).status
                        == 200, "\(label)")
                let writes: [(String, String, Any?)] = [
                    ("POST", "/api/v1/providers", ["location": "acme/new"]),
                    ("POST", "/api/v1/providers/preview", ["location": "acme/new"]),
                    ("PATCH", "/api/v1/providers/\(id)", ["origin": "elsewhere"]),
                    ("GET", "/api/v1/providers/\(id)/variables", nil),
                    ("PUT", "/api/v1/providers/\(id)/variables", ["variables": ["K": "other"]]),
                    ("DELETE", "/api/v1/providers/\(id)", nil),
                ]
                for (method, path, json) in writes {
                    let answer = try await sandbox.call(method, path, json: json, authorization: authorization)
                    #expect(answer.status == 403, "\(method) \(path) as \(label)")
                    #expect(answer.detail == "Insufficient permissions")
                    #expect(answer.headers["www-authenticate"] == nil)
                    #expect(!String(decoding: answer.body, as: UTF8.self).contains("secret-value"))
                }
            }
            let notBase64 = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/new"],
                                                   authorization: "Basic %%%")
            #expect(notBase64.status == 401)
            #expect(notBase64.detail == "Invalid authentication credentials")
            let after = try await sandbox.call("GET", "/api/v1/providers").object["total_count"] as? Int
            #expect(before != nil && after == before, "nothing was created or deleted")
        }
    }

    @Test("an agents password alone: the agent API takes only it; an agents token alone: only that")
    func oneAgentsCredential() async throws {
        try await running(SandboxConfiguration(token: "t0ken", agentsPassword: "agents-pa55")) { sandbox in
            var statuses: [Int] = []
            for authorization in ["Bearer t0ken", basic("admin", "t0ken"), "Bearer agents-pa55",
                                  basic("admin", "agents-pa55")] {
                statuses.append(try await createStatus(sandbox, authorization))
            }
            #expect(statuses == [403, 403, 403, 200])
            let store = try await sandbox.call("GET", "/providers/installed", authorization: "Bearer t0ken")
            #expect(store.status == 200)
        }
        try await running(SandboxConfiguration(token: "t0ken", agentsToken: "oidc-token")) { sandbox in
            var statuses: [Int] = []
            for authorization in ["Bearer t0ken", basic("admin", "t0ken"), basic("admin", "oidc-token"),
                                  "Bearer oidc-token"] {
                statuses.append(try await createStatus(sandbox, authorization))
            }
            #expect(statuses == [403, 403, 403, 200])
        }
    }

    @Test("a store token beside the token replaces it on the store API only")
    func storeTokenBesideToken() async throws {
        try await running(SandboxConfiguration(token: "t0ken", storeToken: "st0re-token")) { sandbox in
            #expect(try await sandbox.call("GET", "/providers/installed", authorization: "Bearer t0ken").status == 401)
            #expect(try await sandbox.call("GET", "/providers/installed", authorization: "Bearer st0re-token").status
                    == 200)
            let bearer = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/b"],
                                                authorization: "Bearer t0ken")
            #expect(bearer.status == 200)
            let password = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/c"],
                                                  authorization: basic("admin", "t0ken"))
            #expect(password.status == 200)
            let storeOnAgents = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/d"],
                                                       authorization: "Bearer st0re-token")
            #expect(storeOnAgents.status == 403)
        }
    }

    @Test("a store token alone leaves the agent API open and guards the store API and the admin side")
    func storeTokenAlone() async throws {
        try await running(SandboxConfiguration(storeToken: "st0re-token")) { sandbox in
            #expect(try await sandbox.call("GET", "/providers/installed").status == 401)
            let open = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/open"])
            #expect(open.status == 200)
            #expect(try await sandbox.call("GET", "/_sandbox/writes", authorization: "Bearer nope").status == 401)
            #expect(try await sandbox.call("GET", "/_sandbox/writes", authorization: "Bearer st0re-token").status
                    == 200)
        }
    }

    @Test("the admin side wants one bearer token: the token, else the store token, agents token, agents password",
          arguments: [
              (SandboxConfiguration(token: "t0ken", storeToken: "st0re-token", agentsPassword: "agents-pa55",
                                    agentsToken: "oidc-token"), "t0ken"),
              (SandboxConfiguration(storeToken: "st0re-token", agentsPassword: "agents-pa55",
                                    agentsToken: "oidc-token"), "st0re-token"),
              (SandboxConfiguration(agentsPassword: "agents-pa55", agentsToken: "oidc-token"), "oidc-token"),
              (SandboxConfiguration(agentsPassword: "agents-pa55"), "agents-pa55"),
          ])
    func adminSide(configuration: SandboxConfiguration, admin: String) async throws {
        try await running(configuration) { sandbox in
            #expect(sandbox.server.token == admin)
            let others = ["t0ken", "st0re-token", "oidc-token", "agents-pa55"].filter { $0 != admin }
            let anonymous = try await RawHTTP.request("GET", "/_sandbox/state", to: sandbox.server.url)
            #expect(anonymous.status == 401)
            let refused = [basic("admin", admin), "Bearer nope"]
                + others.flatMap { ["Bearer \($0)", basic("admin", $0)] }
            for authorization in refused {
                for (method, path) in [("GET", "/_sandbox/writes"), ("GET", "/_sandbox/state"),
                                       ("POST", "/_sandbox/reset")] {
                    let answer = try await sandbox.call(method, path, authorization: authorization)
                    #expect(answer.status == 401, "\(method) \(path) as \(authorization)")
                    #expect(answer.headers["www-authenticate"] == "Bearer")
                }
            }
            #expect(try await sandbox.call("GET", "/_sandbox/state", authorization: "Bearer \(admin)").status == 200)
            #expect(try await sandbox.call("POST", "/_sandbox/reset", authorization: "Bearer \(admin)").status == 200)
        }
    }

    @Test("the single token still covers both APIs and the admin side, as a bearer token or the Basic password")
    func singleToken() async throws {
        let configuration = SandboxConfiguration(token: "t0ken")
        #expect(configuration.requiredStoreToken == "t0ken" && configuration.acceptedAgentsToken == "t0ken")
        #expect(configuration.acceptedAgentsPassword == "t0ken" && configuration.adminToken == "t0ken")
        try await running(configuration) { sandbox in
            #expect(try await sandbox.call("GET", "/providers/installed").status == 401)
            #expect(try await sandbox.call("GET", "/providers/installed", authorization: "Bearer t0ken").status == 200)
            let bearer = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/b"],
                                                authorization: "Bearer t0ken")
            #expect(bearer.status == 200)
            let password = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/c"],
                                                  authorization: basic("anyone", "t0ken"))
            #expect(password.status == 200)
            let anonymous = try await sandbox.call("POST", "/api/v1/providers", json: ["location": "acme/d"])
            #expect(anonymous.status == 403)
            #expect(try await sandbox.call("GET", "/_sandbox/writes", authorization: "Bearer nope").status == 401)
            #expect(try await sandbox.call("GET", "/_sandbox/writes", authorization: "Bearer t0ken").status == 200)
        }
    }

    @Test("the former password field is the agents password")
    func passwordAlias() {
        var configuration = SandboxConfiguration(token: "t0ken", password: "pa55")
        #expect(configuration.agentsPassword == "pa55" && configuration.acceptedAgentsToken == nil)
        configuration.password = "other"
        #expect(configuration.agentsPassword == "other")
    }

    @Test("the startup summary says what each side requires and never a value")
    func summary() {
        let cases: [(SandboxConfiguration, String)] = [
            (SandboxConfiguration(), "no auth"),
            (SandboxConfiguration(token: "t0ken"), "token required"),
            (split, "store API: bearer token; agent API: Basic password or bearer token; "
                + "admin side: the store token as bearer"),
            (SandboxConfiguration(token: "t0ken", agentsPassword: "agents-pa55"),
             "store API: bearer token; agent API: Basic password; admin side: the token as bearer"),
            (SandboxConfiguration(storeToken: "st0re-token"),
             "store API: bearer token; agent API: no auth; admin side: the store token as bearer"),
            (SandboxConfiguration(agentsToken: "oidc-token"),
             "store API: no auth; agent API: bearer token; admin side: the agents token as bearer"),
            (SandboxConfiguration(agentsPassword: "agents-pa55"),
             "store API: no auth; agent API: Basic password; admin side: the agents password as bearer"),
        ]
        for (configuration, expected) in cases {
            #expect(configuration.authSummary == expected)
            for value in ["t0ken", "st0re-token", "agents-pa55", "oidc-token"] {
                #expect(!configuration.authSummary.contains(value))
            }
        }
    }
}
