import ProvsyncModel

/// What the live read needs from a resource kind: the list of its objects and, for the listed objects that
/// need them, their details (read after pairing, one request each).
package protocol KindReading: ResourceKind {
    /// Every live object of the kind.
    static func list(with reader: LiveReader) async throws(APIError) -> [Live]
    /// `objects` with the details of those whose identity is in `identities` read, at most `parallelism` at a
    /// time; an object gone before its details were read is left out.
    static func readingDetails(of objects: [Live], identities: Set<String>, with reader: LiveReader,
                               parallelism: Int) async throws(APIError) -> [Live]
    /// The order of the kind's objects in a snapshot.
    static func sorted(_ objects: [Live]) -> [Live]
}

extension ManifestKind {
    /// The kind's live reads. A new kind adds its case here.
    package var reading: any KindReading.Type {
        switch self {
        case .installation: InstallationKind.self
        case .agentProvider: AgentProviderKind.self
        }
    }
}

/// Every read the apply and dry-run stages make, kind by kind: what `LiveReader` offers and test doubles
/// script. A new kind adds its protocol to the composition.
package typealias LiveReading = InstallationReading & AgentProviderReading

/// Every write, kind by kind: what `LiveWriter` offers and test doubles script.
package typealias LiveWriting = InstallationWriting & AgentProviderWriting

extension KindReading {
    static func readPart(with reader: LiveReader, selection: any DetailSelection, parallelism: Int) async
        -> Result<SnapshotPart, APIError> {
        await LiveReader.capture { () async throws(APIError) -> SnapshotPart in
            let listed = try await list(with: reader)
            var alone = LiveSnapshot()
            alone[keyPath: liveObjects] = listed
            let identities = selection.identitiesNeedingDetails(of: kind, listed: alone)
            let objects = sorted(identities.isEmpty ? listed
                : try await readingDetails(of: listed, identities: identities, with: reader, parallelism: parallelism))
            return SnapshotPart { snapshot in snapshot[keyPath: liveObjects] = objects }
        }
    }

    package static func readingDetails(of objects: [Live], identities: Set<String>, with reader: LiveReader,
                                       parallelism: Int) async throws(APIError) -> [Live] {
        objects
    }
}
