import Foundation
import ProvsyncEngine
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncManifests
import ProvsyncModel
import ProvsyncSandbox
import ProvsyncTestSupport

/// A scratch repository, an in-process sandbox and an engine pointed at both: the setting of every engine
/// test. Flows run in this process, so a test asserts on the values they return.
struct EngineHarness {
    let repo: ScratchRepository
    let sandbox: LiveSandbox
    var environment: [String: String]

    /// Writes `files` (path → text) and commits them.
    func commit(_ files: [String: String], removing removed: [String] = []) throws {
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            try repo.write(path, text)
        }
        for path in removed {
            try repo.remove(path)
        }
        _ = try repo.commitAll()
    }

    var engine: Engine { Engine(environment: environment) }

    func request(ref: String = "HEAD", paths: [String] = []) -> ManifestRequest {
        ManifestRequest(repository: repo.path, ref: ref, paths: paths, currentDirectory: repo.path)
    }

    var connection: ConnectionRequest {
        ConnectionRequest(apiURL: sandbox.url, clientOptions: sandbox.options())
    }

    /// Opens a workspace at `ref` and runs `body` in it, closing it afterwards.
    func inWorkspace<Value>(ref: String = "HEAD", _ body: (Workspace) async throws -> Value) async throws -> Value {
        try await inWorkspace(request(ref: ref), connection: connection, body)
    }

    /// The plan of the manifests at HEAD against the sandbox.
    func plan(_ options: PlanOptions = PlanOptions()) async throws -> Plan {
        var request = request()
        request.keepsMemo = options.base != nil  // as `provsync plan --base` reads the ref
        return try await inWorkspace(request, connection: connection) { try await $0.plan(options).plan }
    }

    /// Plans and applies; returns the plan and the report.
    @discardableResult
    func apply(_ options: PlanOptions = PlanOptions()) async throws -> (plan: Plan, report: ApplyReport) {
        try await inWorkspace { workspace in
            let executable = try await workspace.plan(options).executable
            return (executable.plan, await workspace.apply(executable))
        }
    }

    /// The drift report of the manifests at HEAD.
    func drift() async throws -> DriftReport {
        try await inWorkspace { try await $0.drift() }
    }
}

/// Runs `body` with a fresh repository holding `files` (committed) and a fresh sandbox, away from the
/// threads the sandbox answers on (git and libgit2 block); both are removed afterwards.
func withHarness<Value>(
    _ files: [String: String] = [:], environment: [String: String] = [:],
    sandbox configuration: SandboxConfiguration = SandboxConfiguration(pendingSeconds: 0, processingSeconds: 0, manualClock: true),
    _ body: (EngineHarness) async throws -> Value
) async throws -> Value {
    let repo = try ScratchRepository()
    defer { repo.delete() }
    return try await withSandbox(configuration) { sandbox in
        try await awayFromCooperativePool {
            let harness = EngineHarness(repo: repo, sandbox: sandbox, environment: environment)
            if !files.isEmpty { try harness.commit(files) }
            return try await body(harness)
        }
    }
}

/// Manifest texts for tests, shared with the command-line tests.
typealias Manifests = ProvsyncTestSupport.Manifests
