
/// How one change of a plan ended.
package enum ApplyOutcome: Sendable, Hashable {
    /// Carried out; the detail says what the API answered (`installed 1.4.2, pending`).
    case applied(String)
    /// Tried and failed, with the API's message.
    case failed(String)
    /// Not tried, and why (a refusal elsewhere in the plan, an interruption, a dry run).
    case notAttempted(String)
    /// A dry run: what would happen (the preview endpoint's answer where there is one).
    case wouldApply(String)
    /// A dry run: what apply would be refused with (a version the store has not published, a preview the
    /// API rejects).
    case wouldFail(String)
}

extension ApplyOutcome {
    /// The detail or message, whatever the outcome.
    package var message: String {
        switch self {
        case .applied(let text), .failed(let text), .notAttempted(let text), .wouldApply(let text), .wouldFail(let text):
            text
        }
    }
}

/// The result of one change.
package struct ApplyResult: Sendable, Hashable {
    package var address: ResourceAddress
    package var action: PlanAction
    package var outcome: ApplyOutcome

    package init(address: ResourceAddress, action: PlanAction, outcome: ApplyOutcome) {
        self.address = address
        self.action = action
        self.outcome = outcome
    }
}

/// What an apply did: every change of the plan with its outcome, in address order.
package struct ApplyReport: Sendable, Hashable {
    package var results: [ApplyResult]

    package init(results: [ApplyResult]) {
        self.results = results.sorted { $0.address < $1.address }
    }

    /// What failed, or in a dry run would fail.
    package var failures: [ApplyResult] {
        results.filter {
            switch $0.outcome {
            case .failed, .wouldFail: true
            case .applied, .notAttempted, .wouldApply: false
            }
        }
    }
    package var applied: [ApplyResult] { results.filter { if case .applied = $0.outcome { true } else { false } } }
    package var notAttempted: [ApplyResult] {
        results.filter { if case .notAttempted = $0.outcome { true } else { false } }
    }

    /// True when anything failed or was not attempted: apply then exits 1.
    package var isIncomplete: Bool { !failures.isEmpty || !notAttempted.isEmpty }
}
