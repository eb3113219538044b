/// The API calls that carry out one change. Holds resolved values, secrets included: in memory only,
/// never encoded or printed.
package enum PlannedOperation: Sendable, Hashable {
    case install(InstallRequest)
    case upgrade(providerName: String, version: String)
    case downgrade(providerName: String, version: String)
    /// Uninstall, then install again with the new settings.
    case replace(InstallRequest)
    case create(AgentProviderRequest)
    case update(id: String, AgentProviderRequest)
}

/// A plan together with the operations that carry it out, keyed by address.
package struct ExecutablePlan: Sendable {
    package var plan: Plan
    package var operations: [ResourceAddress: PlannedOperation]
    /// For each agent provider update, the whole desired provider as a create body: what a dry run sends
    /// to the preview endpoint (a PATCH body alone may lack the location it needs).
    package var previews: [ResourceAddress: AgentProviderRequest]

    package init(plan: Plan, operations: [ResourceAddress: PlannedOperation],
                 previews: [ResourceAddress: AgentProviderRequest] = [:]) {
        self.plan = plan
        self.operations = operations
        self.previews = previews
    }
}
