import ProvsyncModel

/// Receives progress while a plan is applied; every method has a no-op default, so tests need none.
package protocol ApplyObserver: Sendable {
    func started(_ change: PlannedChange) async
    func finished(_ result: ApplyResult) async
}

extension ApplyObserver {
    package func started(_ change: PlannedChange) async {}
    package func finished(_ result: ApplyResult) async {}
}

/// An observer that ignores everything.
package struct SilentApplyObserver: ApplyObserver {
    package init() {}
}
