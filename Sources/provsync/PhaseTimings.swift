import Foundation

/// With `PROVSYNC_TIMINGS` set, prints the wall and CPU time of the local phases (reading manifests,
/// planning, analysing drift) to stderr as `timing: NAME cpu 0.12 s, wall 0.13 s`, for the benchmark.
/// CPU time is the whole process's, so it is exact for these phases, which run alone.
struct PhaseTimings {
    let console: Console

    var isEnabled: Bool { console.environment["PROVSYNC_TIMINGS"] != nil }

    func measure<Value, Failure: Error>(_ name: String, _ body: () throws(Failure) -> Value) throws(Failure) -> Value {
        let start = Start(isEnabled: isEnabled)
        defer { report(name, since: start) }
        return try body()
    }

    /// The same for a phase that waits for the network; its CPU time includes other work done meanwhile.
    func measure<Value, Failure: Error>(
        _ name: String, _ body: () async throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        let start = Start(isEnabled: isEnabled)
        defer { report(name, since: start) }
        return try await body()
    }

    private struct Start {
        var cpu = 0.0
        var wall = ContinuousClock.now

        init(isEnabled: Bool) {
            if isEnabled { cpu = PhaseTimings.cpuSeconds() }
        }
    }

    private func report(_ name: String, since start: Start) {
        guard isEnabled else { return }
        let wall = ContinuousClock.now - start.wall
        let cpu = Self.cpuSeconds() - start.cpu
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        console.err("timing: \(name) cpu \(String(format: "%.3f", cpu)) s, wall \(String(format: "%.3f", wallSeconds)) s")
    }

    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
