/// A plan together with the operations that carry it out, keyed by address. In memory only: the
/// operations hold resolved secrets.
package struct ExecutablePlan: Sendable {
    package var plan: Plan
    package var operations: [ResourceAddress: PlannedOperation]

    package init(plan: Plan, operations: [ResourceAddress: PlannedOperation]) {
        self.plan = plan
        self.operations = operations
    }
}
