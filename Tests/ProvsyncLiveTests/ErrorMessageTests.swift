import Foundation
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncSandbox
import Testing

@Suite("API error messages")
struct ErrorMessageTests {
    static func install(_ name: String, version: String? = nil) -> InstallRequest {
        InstallRequest(providerName: name, version: version, resourceTier: .standard, upgradePolicy: .manual,
                       config: ["SECRET": "do-not-print"])
    }

    @Test("409 names the request and the API's answer")
    func conflict() async throws {
        try await withSandbox { sandbox in
            let writer = sandbox.writer()
            _ = try await writer.install(Self.install("acme/postgres"))
            let error = try #require(await apiError { () async throws(APIError) in
                try await writer.install(Self.install("acme/postgres"))
            })
            #expect(error.description == "POST /providers/install acme/postgres: 409 Provider acme/postgres is already installed")
            #expect(error.status == 409)
            #expect(error.kind == .conflict)
            #expect(error.isRefusal)
            #expect(!error.isTransient)
            #expect(!error.isOutcomeUnknown)
            #expect(error.attempts == 1)
            #expect(!error.description.contains("do-not-print"))
        }
    }

    @Test("404 and 400 from the store API")
    func notFoundAndBadRequest() async throws {
        try await withSandbox { sandbox in
            let writer = sandbox.writer()
            let missing = try #require(await apiError { () async throws(APIError) in
                try await writer.upgrade(providerName: "acme/nothere", to: "1.0.0")
            })
            #expect(missing.description == "POST /providers/installed/acme/nothere/upgrade: 404 Provider acme/nothere is not installed")
            #expect(missing.kind == .notFound)

            _ = try await writer.install(Self.install("acme/redis", version: "7.0.15"))
            let older = try #require(await apiError { () async throws(APIError) in
                try await writer.downgrade(providerName: "acme/redis", to: "7.2.4")
            })
            #expect(older.description == "POST /providers/installed/acme/redis/downgrade: 400 Version 7.2.4 is not older than the installed version 7.0.15")
            #expect(older.kind == .badRequest)

            let duplicate = try await writer.createAgentProvider(AgentProviderRequest(location: "acme/dup:1"))
            let second = try #require(await apiError { () async throws(APIError) in
                try await writer.createAgentProvider(AgentProviderRequest(location: "docker.io/acme/dup:1",
                                                                          origin: duplicate.origin))
            })
            // The wording of the recorded real server (errors.json, create-duplicate).
            #expect(second.description == "POST /api/v1/providers (agent/docker.io/acme/dup): 400 Duplicate provider found: "
                    + "source='docker.io/acme/dup:1' already exists")
        }
    }

    @Test("422 validation issues are rendered as loc: msg, without the input")
    func validation() async throws {
        try await withSandbox { sandbox in
            let writer = sandbox.writer()
            let missingLocation = try #require(await apiError { () async throws(APIError) in
                try await writer.createAgentProvider(AgentProviderRequest(variables: ["TOKEN": "hidden-value"]))
            })
            #expect(missingLocation.description == "POST /api/v1/providers: 422 body.location: Field required")
            #expect(missingLocation.kind == .validation)
            #expect(!missingLocation.description.contains("hidden-value"))

            let created = try await writer.createAgentProvider(AgentProviderRequest(location: "acme/v:1"))
            let tooLong = try #require(await apiError { () async throws(APIError) in
                try await writer.updateAgentProvider(id: created.id, AgentProviderRequest(
                    origin: "docker.io/acme/v", autoStopTimeoutSec: 5000
                ))
            })
            #expect(tooLong.description == "PATCH /api/v1/providers/\(created.id) (agent/docker.io/acme/v): 422 body.auto_stop_timeout_sec: Input should be less than or equal to 1800")
        }
    }

    @Test("without credentials agent reads work, writes get 403 naming PROVSYNC_TOKEN")
    func forbiddenWithoutCredentials() async throws {
        try await withSandbox(SandboxConfiguration(token: "t")) { sandbox in
            #expect(try await sandbox.reader().agentProviders().isEmpty)
            let error = try #require(await apiError { () async throws(APIError) in
                try await sandbox.writer().createAgentProvider(AgentProviderRequest(
                    location: "ghcr.io/acme/a:1", origin: "ghcr.io/acme/a"
                ))
            })
            #expect(error.status == 403)
            #expect(error.kind == .forbidden)
            #expect(error.description.hasPrefix("POST /api/v1/providers (agent/ghcr.io/acme/a): 403 Insufficient permissions ("))
            #expect(error.description.contains("PROVSYNC_TOKEN"))

            let wrongToken = try #require(await apiError { () async throws(APIError) in
                try await sandbox.writer(Credentials(environment: ["PROVSYNC_TOKEN": "nope"]))
                    .createAgentProvider(AgentProviderRequest(location: "a:1"))
            })
            #expect(wrongToken.description.contains("check the token in PROVSYNC_TOKEN"))
            #expect(!wrongToken.description.contains("nope"))
        }
    }

    @Test("401 on the store API explains where credentials come from")
    func unauthorized() async throws {
        try await withSandbox(SandboxConfiguration(token: "t")) { sandbox in
            let error = try #require(await apiError { () async throws(APIError) in
                try await sandbox.reader().snapshot(parallelism: 2, details: NoDetails())
            })
            #expect(error.description == "GET /providers/installed: 401 Not authenticated (no credentials for the store "
                    + "API were given: set PROVSYNC_STORE_TOKEN, or PROVSYNC_TOKEN, or PROVSYNC_USERNAME and PROVSYNC_PASSWORD)")
            #expect(error.kind == .unauthorized)
            #expect(error.attempts == 1, "a 401 is not retried")

            let wrong = try #require(await apiError { () async throws(APIError) in
                try await sandbox.reader(Credentials(environment: ["PROVSYNC_TOKEN": "wrong-SECRET"])).installations()
            })
            #expect(wrong.description == "GET /providers/installed: 401 Not authenticated (check the token in "
                    + "PROVSYNC_TOKEN; credentials for the store API come from PROVSYNC_TOKEN, or PROVSYNC_USERNAME and "
                    + "PROVSYNC_PASSWORD)")
            #expect(!wrong.description.contains("wrong-SECRET"))
        }
    }

    @Test("Bearer and Basic credentials from the environment are accepted")
    func credentialsAccepted() async throws {
        try await withSandbox(SandboxConfiguration(token: "t", pendingSeconds: 0, processingSeconds: 0)) { sandbox in
            let bearer = Credentials(environment: ["PROVSYNC_TOKEN": "t"])
            _ = try await sandbox.writer(bearer).install(Self.install("acme/loki"))
            #expect(try await sandbox.reader(bearer).installations().count == 1)

            let basic = Credentials(environment: ["PROVSYNC_USERNAME": "x", "PROVSYNC_PASSWORD": "t"])
            let created = try await sandbox.writer(basic).createAgentProvider(AgentProviderRequest(location: "acme/b:1"))
            #expect(created.origin == "docker.io/acme/b")
        }
    }

    @Test("a refused connection is reported without a status and the write's outcome is known")
    func connectionRefused() async throws {
        let sandbox = try await LiveSandbox.start()
        let writer = sandbox.writer(options: sandbox.options(attempts: 3))
        let reader = sandbox.reader(options: sandbox.options(attempts: 2))
        await sandbox.stop()

        let write = try #require(await apiError { () async throws(APIError) in
            try await writer.uninstall(providerName: "acme/postgres", cascade: true)
        })
        #expect(write.kind == .connectionFailed)
        #expect(write.status == nil)
        #expect(write.attempts == 3, "nothing was sent, so the write is retried")
        #expect(!write.isOutcomeUnknown)
        #expect(write.description.hasPrefix("DELETE /providers/installed/acme/postgres: could not connect to 127.0.0.1:"))

        let read = try #require(await apiError { () async throws(APIError) in try await reader.installations() })
        #expect(read.kind == .connectionFailed)
        #expect(read.attempts == 2)
        #expect(read.description.hasSuffix("[after 2 attempts]"))
    }
}
