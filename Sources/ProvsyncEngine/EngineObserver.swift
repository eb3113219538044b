import ProvsyncApplying
import ProvsyncLive
import ProvsyncModel

/// Receives what happens while the engine works, for the command line to draw; every method has a no-op
/// default, so tests need none.
package protocol EngineObserver: ApplyObserver {
    /// Whether phases are timed at all (reading the process's CPU time costs a system call).
    var timesPhases: Bool { get }
    /// A local phase finished (reading manifests, reading live state, planning, analysing drift).
    func phaseFinished(_ timing: PhaseTiming)
    /// `apply --wait` started waiting, or is still waiting.
    func waitProgressed(_ progress: InstallationWaiter.Progress)
    /// A request failed and is about to be sent again (from any task: it must return quickly).
    func retrying(_ notice: RetryNotice)
}

extension EngineObserver {
    package var timesPhases: Bool { false }
    package func phaseFinished(_ timing: PhaseTiming) {}
    package func waitProgressed(_ progress: InstallationWaiter.Progress) {}
    package func retrying(_ notice: RetryNotice) {}
}

/// An observer that ignores everything.
package struct SilentEngineObserver: EngineObserver {
    package init() {}
}

/// The CPU and wall time of one phase. The CPU time is the whole process's: exact for the local phases,
/// which run alone, and including other work for phases that wait on the network.
package struct PhaseTiming: Sendable, Hashable {
    package var name: String
    package var cpuSeconds: Double
    package var wallSeconds: Double
}
