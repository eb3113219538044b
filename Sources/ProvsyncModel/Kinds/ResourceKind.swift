/// One kind of managed object as every stage sees it: the kind's manifest spec, the live object its API
/// reports and the API calls that change it. Each stage refines this protocol with what it needs from a kind
/// (decoding, reading, planning, carrying out), and names each kind's conformance in one exhaustive switch.
package protocol ResourceKind: Sendable {
    /// The decoded `spec` of the kind's manifests.
    associatedtype Spec: Sendable & Hashable
    /// An object as the kind's API reports it.
    associatedtype Live: Sendable & Hashable
    /// The API calls that carry out one change of the kind (in memory only: they may hold secrets).
    associatedtype Operation: Sendable & Hashable

    static var kind: ManifestKind { get }

    /// The spec of a decoded document, when it is of this kind.
    static func spec(in body: Manifest.Body) -> Spec?
    /// Where a snapshot keeps the kind's live objects.
    static var liveObjects: WritableKeyPath<LiveSnapshot, [Live]> { get }
    static func address(of live: Live) -> ResourceAddress
    /// The API's own identity of a live object (an id, or `org/name` where the API has no id).
    static func identity(of live: Live) -> String
    static func planned(_ operation: Operation) -> PlannedOperation
    static func operation(in planned: PlannedOperation) -> Operation?
    /// The operation that deletes `live` (`cascade`: with what depends on it, where the API knows of such).
    static func deletion(of live: Live, cascade: Bool) -> Operation
}
