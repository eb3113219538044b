import Testing
import ProvsyncApplying
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncPlanning

private let here = SourceLocation(file: "manifests/m.yaml", line: 1, column: 1)
private let source = ManifestSource(repository: "/repo", ref: "HEAD", commit: nil, isWorkingTree: true)

/// A provider with a version in each state, loaded into the sandbox's catalog.
private let demoCatalog: JSONValue = ["catalog": ["acme/demo": ["versions": [
    "1.0.0",
    ["version": "1.1.0", "status": "failed", "error_message": "wheel_refused: not a provider"],
    "1.2.0",
    ["version": "2.0.0", "status": "queued"],
]]]]

private func install(_ version: String?) -> InstallationOperation {
    .install(InstallRequest(providerName: "acme/demo", version: version, resourceTier: .standard,
                            upgradePolicy: .manual, config: [:]))
}

private func withDemoCatalog(_ body: (LiveSandbox) async throws -> Void) async throws {
    try await withSandbox { sandbox in
        let loaded = try await sandbox.call("PUT", "/_sandbox/state", json: demoCatalog)
        #expect(loaded.status == 200)
        try await body(sandbox)
    }
}

@Suite("Dry run of installations")
struct InstallationDryRunTests {
    @Test("a check the API refuses is a would-fail; one that could not be made (5xx, credentials, network) is not checked")
    func failedChecks() {
        func error(_ status: Int?, _ kind: APIError.Kind) -> APIError {
            APIError(request: "GET /providers/acme/demo", status: status, kind: kind, message: "answer")
        }
        #expect(DryRun.outcome(after: error(422, .validation)) == .wouldFail("GET /providers/acme/demo: 422 answer"))
        #expect(DryRun.outcome(after: error(404, .notFound)) == .wouldFail("GET /providers/acme/demo: 404 answer"))
        for (status, kind) in [(500, APIError.Kind.serverError), (401, .unauthorized), (429, .throttled),
                               (nil, .connectionFailed)] as [(Int?, APIError.Kind)] {
            guard case .notAttempted(let reason) = DryRun.outcome(after: error(status, kind)) else {
                Issue.record("\(status.map(String.init) ?? "no status") must leave the change not checked")
                continue
            }
            #expect(reason.hasPrefix("not checked: GET /providers/acme/demo"))
        }
    }

    @Test("a pinned version the store lists but has not published would fail, naming its status")
    func unpublished() async throws {
        try await withDemoCatalog { sandbox in
            let reader = sandbox.reader()
            #expect(await InstallationKind.check(install("2.0.0"), reader: reader) == .wouldFail(
                "version 2.0.0 of acme/demo is not published: its status is queued (published: 1.2.0, 1.0.0)"))
            #expect(await InstallationKind.check(.downgrade(providerName: "acme/demo", version: "1.1.0"), reader: reader)
                == .wouldFail("version 1.1.0 of acme/demo is not published: its status is failed: wheel_refused: "
                           + "not a provider (published: 1.2.0, 1.0.0)"))
        }
    }

    @Test("a pinned version the store does not list would fail; a published one, or the newest published, would apply")
    func missingAndPublished() async throws {
        try await withDemoCatalog { sandbox in
            let reader = sandbox.reader()
            #expect(await InstallationKind.check(.upgrade(providerName: "acme/demo", version: "9.9.9"), reader: reader)
                == .wouldFail("version 9.9.9 of acme/demo is not published: the store has no such version "
                           + "(published: 1.2.0, 1.0.0)"))
            #expect(await InstallationKind.check(install("1.2.0"), reader: reader) == .wouldApply("version 1.2.0 is published"))
            #expect(await InstallationKind.check(install(nil), reader: reader)
                == .wouldApply("install the latest published version, 1.2.0"))
        }
    }

    @Test("apply --dry-run reports a manifest pinned to an unpublished version as would fail, and writes nothing")
    func throughThePlan() async throws {
        try await withDemoCatalog { sandbox in
            let manifest = Manifest(.installation(InstallationManifest(
                providerName: "acme/demo", version: "2.0.0", resourceTier: .standard, upgradePolicy: .manual, config: [:],
                policy: ManifestPolicy()
            )), location: here, identityLocation: here)
            let desired = try DesiredState.resolve(ManifestSet(source: source, manifests: [manifest]), environment: [:]).get()
            let live = try await sandbox.reader().snapshot(details: VariablesOf(origins: []))
            let executable = Planner.plan(source: source, desired: desired, live: live, options: PlanningOptions(salt: "s"))
            let report = await DryRun(reader: sandbox.reader()).check(executable)
            #expect(report.results.map(\.outcome) == [.wouldFail(
                "version 2.0.0 of acme/demo is not published: its status is queued (published: 1.2.0, 1.0.0)")])
            #expect(try await sandbox.writes().totalReceived == 0)
        }
    }

    @Test("the dry run and the sandbox agree: what the dry run passes installs, what it fails is refused")
    func agreesWithTheStore() async throws {
        try await withDemoCatalog { sandbox in
            let writer = sandbox.writer()
            for version in ["1.0.0", "1.1.0", "1.2.0", "2.0.0", "9.9.9", nil] as [String?] {
                let verdict = await InstallationKind.check(install(version), reader: sandbox.reader())
                let installed = await apiError { () async throws(APIError) in
                    guard case .install(let request) = install(version) else { return }
                    _ = try await writer.install(request)
                    try await writer.uninstall(providerName: "acme/demo", cascade: true)
                } == nil
                if case .wouldApply = verdict {
                    #expect(installed, "the dry run passed \(version ?? "latest"), so it must install")
                } else {
                    #expect(!installed, "the dry run failed \(version ?? "latest"): \(verdict.message)")
                }
            }
        }
    }
}
