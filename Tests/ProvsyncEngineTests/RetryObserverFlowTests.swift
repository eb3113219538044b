import Foundation
import ProvsyncEngine
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncSandbox
import Synchronization
import Testing

/// An observer that keeps the retries it is told of.
private final class RetryRecorder: EngineObserver {
    private let notices = Mutex<[RetryNotice]>([])

    var all: [RetryNotice] { notices.withLock { $0 } }

    func retrying(_ notice: RetryNotice) {
        notices.withLock { $0.append(notice) }
    }
}

private let files = ["manifests/pg.yaml": Manifests.installation("acme/postgres", version: "1.4.2"),
                     "manifests/agent.yaml": Manifests.agent("ghcr.io/acme/research-agent:1.2.0")]

/// Plans HEAD with an engine whose observer records retries (the engine tells it of them), over the harness's connection with the command line's attempts.
private func plan(_ harness: EngineHarness, observer: RetryRecorder) async throws {
    let engine = Engine(environment: harness.environment, observer: observer)
    let workspace = try await engine.open(harness.request(), connection: harness.connection(parallelism: 1))
    do {
        _ = try await workspace.plan(PlanOptions())
        await workspace.close()
    } catch {
        await workspace.close()
        throw error
    }
}

@Suite("The engine passes retries to its observer")
struct RetryObserverFlowTests {
    @Test("a plan through injected 5xx answers tells the observer of each retry the sandbox logged")
    func retriesObserved() async throws {
        let faults = FaultPlan(seed: 8, rules: [FaultRule(route: "GET *", errorRate: 0.6)])
        try await withHarness(files, sandbox: SandboxConfiguration(pendingSeconds: 0, processingSeconds: 0, faults: faults,
                                                                   manualClock: true)) { harness in
            let observer = RetryRecorder()
            try await plan(harness, observer: observer)
            let faulted = try await harness.sandbox.requests().filter { $0.fault != nil }
            #expect(!faulted.isEmpty)
            #expect(observer.all.count == faulted.count)
            #expect(observer.all.allSatisfy { $0.attempt >= 2 && $0.reason.contains("Injected fault") })
        }
    }

    @Test("PROVSYNC_TEST_RETRY_DELAY (tests only) caps the waits between retries")
    func testRetryDelay() async throws {
        let faults = FaultPlan(seed: 8, rules: [FaultRule(route: "GET *", errorRate: 0.6)])
        let configuration = SandboxConfiguration(pendingSeconds: 0, processingSeconds: 0, faults: faults, manualClock: true)
        for (environment, fast) in [([String: String](), false), (["PROVSYNC_TEST_RETRY_DELAY": "0"], true)] {
            try await withHarness(files, environment: environment, sandbox: configuration) { harness in
                let observer = RetryRecorder()
                try await plan(harness, observer: observer)
                let delays = await harness.sandbox.sleeps.delays
                #expect(!delays.isEmpty)
                #expect(delays.allSatisfy { ($0 == 0) == fast }, "\(environment): \(delays)")
                #expect(observer.all.map(\.delaySeconds) == delays)
            }
        }
    }
}
