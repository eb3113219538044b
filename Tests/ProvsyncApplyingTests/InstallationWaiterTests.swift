import ProvsyncApplying
import ProvsyncLive
import ProvsyncModel
import Synchronization
import Testing

/// A clock that moves only when the waiter sleeps.
private final class SteppedClock: WaitClock {
    private let elapsed = Mutex(0.0)

    func now() -> Double { elapsed.withLock { $0 } }

    func sleep(seconds: Double) async {
        elapsed.withLock { $0 += seconds }
    }
}

/// Installations that settle after a number of polls.
private final class SettlingStore: InstallationReading {
    private let polls = Mutex(0)
    let readyAfter: [String: Int]

    init(readyAfter: [String: Int]) {
        self.readyAfter = readyAfter
    }

    func installations() async throws(APIError) -> [LiveInstallation] {
        let poll = polls.withLock { count -> Int in
            count += 1
            return count
        }
        return readyAfter.map { name, after in
            var live = LiveInstallation(providerName: name, installedVersion: "1.0.0")
            live.lifecycleState = poll >= after ? "ready" : "processing"
            return live
        }
    }

    func versions(of providerName: String) async throws(APIError) -> [String] { [] }
}

private final class ProgressLog: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

@Suite("Waiting for installations")
struct InstallationWaiterTests {
    @Test("a long wait says when it starts and then how far it got, on the waiter's clock")
    func progress() async {
        let log = ProgressLog()
        let waiter = InstallationWaiter(reader: SettlingStore(readyAfter: ["acme/a": 3, "acme/b": 40]), timeout: 600,
                                        interval: 1, reportInterval: 15, clock: SteppedClock()) { log.append($0.line) }
        let outcome = await waiter.wait(for: ["acme/a", "acme/b"])
        #expect(outcome.isSuccess)
        #expect(outcome.ready.sorted() == ["acme/a", "acme/b"])
        #expect(log.all == [
            "Waiting for 2 installations to become ready (up to 600 s).",
            "Still waiting: 1 of 2 settled, 15 s elapsed.",
            "Still waiting: 1 of 2 settled, 30 s elapsed.",
        ])
    }

    @Test("the time limit is measured on the waiter's clock; what did not settle is reported")
    func timeout() async {
        let waiter = InstallationWaiter(reader: SettlingStore(readyAfter: ["acme/slow": 1_000]), timeout: 30,
                                        interval: 1, clock: SteppedClock())
        let outcome = await waiter.wait(for: ["acme/slow"])
        #expect(outcome.unsettled == ["acme/slow"])
        #expect(!outcome.isSuccess)
    }
}
