import Foundation

/// Times the phases of a flow for an observer that asks for it.
struct PhaseTimer: Sendable {
    let observer: any EngineObserver

    func measure<Value, Failure: Error>(_ name: String, _ body: () throws(Failure) -> Value) throws(Failure) -> Value {
        let start = Start(isEnabled: observer.timesPhases)
        defer { report(name, since: start) }
        return try body()
    }

    func measure<Value, Failure: Error>(
        _ name: String, _ body: () async throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        let start = Start(isEnabled: observer.timesPhases)
        defer { report(name, since: start) }
        return try await body()
    }

    private struct Start {
        var cpu = 0.0
        var wall = ContinuousClock.now

        init(isEnabled: Bool) {
            if isEnabled { cpu = PhaseTimer.cpuSeconds() }
        }
    }

    private func report(_ name: String, since start: Start) {
        guard observer.timesPhases else { return }
        let wall = ContinuousClock.now - start.wall
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        observer.phaseFinished(PhaseTiming(name: name, cpuSeconds: Self.cpuSeconds() - start.cpu,
                                           wallSeconds: wallSeconds))
    }

    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
