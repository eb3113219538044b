import Foundation
import ProvsyncEngine
import Testing

private let manifests = [
    "manifests/db.yaml": """
        apiVersion: provsync/v1
        kind: Installation
        spec:
          provider_name: acme/postgres
          version: "1.4.2"
          config:
            DB_PASSWORD: ${env:DB_PASSWORD}

        """,
    "manifests/agent.yaml": """
        apiVersion: provsync/v1
        kind: AgentProvider
        spec:
          location: ghcr.io/acme/research-agent:1.2.0
          variables:
            OPENAI_API_KEY: ${env:OPENAI_API_KEY}

        """,
]

private let secrets = ["DB_PASSWORD": "pg-s3cret-value", "OPENAI_API_KEY": "sk-very-secret"]

/// The error opening a workspace for HEAD over `connection` throws; a workspace that opens is closed again.
private func openingError(_ harness: EngineHarness, _ connection: ConnectionRequest) async throws -> EngineError? {
    try await engineError { try await harness.inWorkspace(harness.request(), connection: connection) { _ in } }
}

/// How `provsync plan` stops before reading live state, in process.
@Suite("Engine: plan")
struct PlanFlowTests {
    @Test("an unset environment variable is an error at its reference, before any API call")
    func unsetVariable() async throws {
        try await withHarness(manifests, environment: ["DB_PASSWORD": "x"]) { harness in
            let error = try #require(try await openingError(harness, ConnectionRequest(sandbox: true)),
                                     "plan --sandbox exits 1")
            #expect(stderrLines(error).first
                    == "manifests/agent.yaml:6:21: error: environment variable OPENAI_API_KEY is not set")
            #expect(!FileManager.default.fileExists(atPath: harness.repo.url.appendingPathComponent(".provsync").path))
        }
    }

    @Test("without an API URL the error says how to give one")
    func noAPI() async throws {
        try await withHarness(manifests, environment: secrets) { harness in
            let error = try #require(try await openingError(harness, ConnectionRequest()), "plan exits 1")
            #expect(stderrLines(error).joined(separator: "\n").contains("--api-url"))
        }
    }
}
