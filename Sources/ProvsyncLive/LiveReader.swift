import ProvsyncModel

/// Reads live state from both APIs. It has no write methods, so plan, drift and `apply --dry-run` can
/// hold it without being able to change anything (preview stores nothing). The reads of each kind are in
/// that kind's file under `Kinds/`.
package struct LiveReader: Sendable {
    let client: APIClient

    package init(client: APIClient) {
        self.client = client
    }

    package init(endpoints: APIEndpoints, credentials: APICredentials, options: APIClientOptions = APIClientOptions()) {
        self.init(client: APIClient(endpoints: endpoints, credentials: credentials, options: options))
    }

    /// The same credentials for both APIs.
    package init(endpoints: APIEndpoints, credentials: Credentials, options: APIClientOptions = APIClientOptions()) {
        self.init(endpoints: endpoints, credentials: APICredentials(credentials), options: options)
    }

    /// Everything both APIs hold: every kind's list, read side by side, and the details (variables) of the
    /// listed objects `selection` names, read as soon as their kind's list is in, at most `parallelism`
    /// requests at once. An object deleted between its list and its details read is left out. When one
    /// kind's reads fail, the others stop starting new requests and that failure is the one thrown.
    package func snapshot(parallelism: Int = 8, details selection: any DetailSelection) async throws(APIError)
        -> LiveSnapshot {
        let reader = self
        let parts = await withTaskGroup(of: (Int, Result<SnapshotPart, APIError>).self) { group in
            for (position, kind) in ManifestKind.allCases.enumerated() {
                group.addTask {
                    (position, await kind.reading.readPart(with: reader, selection: selection, parallelism: parallelism))
                }
            }
            var parts: [(Int, Result<SnapshotPart, APIError>)] = []
            for await part in group {
                if case .failure = part.1 { group.cancelAll() }
                parts.append(part)
            }
            return parts.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var snapshot = LiveSnapshot()
        let failures = parts.compactMap { part -> APIError? in
            if case .failure(let error) = part { error } else { nil }
        }
        if let failure = failures.first(where: { $0.kind != .cancelled }) ?? failures.first {
            throw failure
        }
        for case .success(let part) in parts {
            part.fill(&snapshot)
        }
        return snapshot
    }

    /// The outcome of `body` as a value.
    static func capture<Value: Sendable>(_ body: () async throws(APIError) -> Value) async -> Result<Value, APIError> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }

    /// `org/name` as two path segments.
    static func segments(_ providerName: String) -> [String] {
        providerName.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    }
}

/// One kind's share of a snapshot, to be put in its place.
struct SnapshotPart: Sendable {
    let fill: @Sendable (inout LiveSnapshot) -> Void
}

/// Which listed objects need their details read: the caller pairs the listed objects with the manifests
/// (the reconciler) and names the paired ones whose manifests need details.
package protocol DetailSelection: Sendable {
    /// The identities (`ResourceKind.identity(of:)`) of the objects of `kind` whose details to read; `listed`
    /// holds that kind's listed objects only.
    func identitiesNeedingDetails(of kind: ManifestKind, listed: LiveSnapshot) -> Set<String>
}

/// A selection of no details at all.
package struct NoDetails: DetailSelection {
    package init() {}

    package func identitiesNeedingDetails(of kind: ManifestKind, listed: LiveSnapshot) -> Set<String> { [] }
}
