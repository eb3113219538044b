import Foundation
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncSandbox
import Synchronization
import Testing

/// The notices a client's `onRetry` hook was given.
private final class NoticeLog: Sendable {
    private let notices = Mutex<[RetryNotice]>([])

    var all: [RetryNotice] { notices.withLock { $0 } }

    func record(_ notice: RetryNotice) {
        notices.withLock { $0.append(notice) }
    }
}

extension RefusingPort {
    var endpoints: APIEndpoints {
        get throws { APIEndpoints(apiURL: try #require(URL(string: url))) }
    }
}

/// Options that retry at once, never sleeping, and tell `log` of each retry.
private func options(_ log: NoticeLog, attempts: Int = 3, readAttempts: Int = 4) -> APIClientOptions {
    APIClientOptions(timeout: 120, retry: RetryPolicy(maxAttempts: attempts, maxReadAttempts: readAttempts, baseDelay: 0),
                     sleep: { _ in }, jitter: { 0.5 }, onRetry: { log.record($0) })
}

@Suite("Retry notices from the client's onRetry hook")
struct RetryNoticeTests {
    @Test("a read against a port that refuses connections reports each retry: reason, attempt and limit")
    func refusedRead() async throws {
        let refusing = try RefusingPort()
        let log = NoticeLog()
        let reader = LiveReader(endpoints: try refusing.endpoints, credentials: .none, options: options(log))
        let error = try #require(await apiError { () async throws(APIError) in try await reader.installations() })
        #expect(error.kind == .connectionFailed)
        #expect(error.attempts == 4)
        let notices = log.all
        #expect(notices.map(\.attempt) == [2, 3, 4])
        #expect(notices.allSatisfy { $0.maxAttempts == 4 && $0.delaySeconds == 0 })
        #expect(notices.allSatisfy { $0.request == "GET /providers/installed" })
        #expect(notices.allSatisfy { $0.reason.hasPrefix("could not connect to 127.0.0.1:\(refusing.port)") })
        #expect(Set(notices.map(\.key)).count == 1, "one reason for every attempt")
        #expect(notices.first?.line.hasPrefix("retrying: GET /providers/installed: could not connect to 127.0.0.1:"
                                              + "\(refusing.port)") == true)
        #expect(notices.first?.line.hasSuffix("(attempt 2 of 4, next in 0 s)") == true)
    }

    @Test("a write that could not connect is retried within the writes' limit, and says so")
    func refusedWrite() async throws {
        let refusing = try RefusingPort()
        let log = NoticeLog()
        let writer = LiveWriter(endpoints: try refusing.endpoints, credentials: .none, options: options(log))
        let install = InstallRequest(providerName: "acme/postgres", version: "1.4.2", resourceTier: .standard,
                                     upgradePolicy: .manual, config: [:])
        _ = await apiError { () async throws(APIError) in try await writer.install(install) }
        #expect(log.all.map(\.attempt) == [2, 3])
        #expect(log.all.allSatisfy { $0.maxAttempts == 3 && $0.request == "POST /providers/install acme/postgres" })
    }

    @Test("injected 5xx answers are reported with their status, one notice per retry the sandbox logged")
    func injectedErrors() async throws {
        let rules = [FaultRule(route: "GET /providers/installed", errorRate: 1)]
        let configuration = SandboxConfiguration(pendingSeconds: 0, processingSeconds: 0,
                                                 faults: FaultPlan(seed: 2, rules: rules), manualClock: true)
        try await withSandbox(configuration) { sandbox in
            let log = NoticeLog()
            let reader = sandbox.reader(options: options(log))
            let error = try #require(await apiError { () async throws(APIError) in try await reader.installations() })
            let logged = try await sandbox.requests(on: "GET /providers/installed")
            #expect(logged.count == 4)
            let notices = log.all
            #expect(notices.map(\.attempt) == [2, 3, 4])
            #expect(notices.map { Int($0.reason.prefix(3)) } == logged.dropLast().map { Optional($0.status) })
            #expect(notices.allSatisfy { $0.reason.contains("Injected fault") })
            #expect(error.status == logged.last?.status)
        }
    }

    @Test("without a hook nothing changes: the default ignores retries")
    func defaultHook() {
        let notice = RetryNotice(request: "GET /x", reason: "503 Service Unavailable", key: "k", attempt: 2,
                                 maxAttempts: 10, delaySeconds: 0.6)
        APIClientOptions().onRetry(notice)
        #expect(notice.line == "retrying: GET /x: 503 Service Unavailable (attempt 2 of 10, next in 0.6 s)")
    }
}
