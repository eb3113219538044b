/// One decoded manifest document, with the place it was read from.
package struct Manifest: Sendable, Hashable, Codable {
    /// The document's spec, by kind (`KindCases.swift`).
    package var body: Body
    /// Where the document starts (its first key).
    package var location: SourceLocation
    /// Where the identity is written (`provider_name`, or `origin`/`location` for agents).
    package var identityLocation: SourceLocation
    /// `ensure:` beside `spec`: whether the object should exist.
    package var ensure: Ensure
    /// Where each value was set, by dotted path: every spec field by its diff path (`version`, `config`) and
    /// each key of a map field (`config.LOG_LEVEL`, `variables.TOKEN`), also `ensure` and `policy.FIELD`.
    /// With layers, each names the layer file that set it.
    package var fieldSources: [String: SourceLocation]
    /// The documents this manifest was made of, in layer order (one, unless later layers patched it).
    package var layers: [SourceLocation]

    package init(_ body: Body, location: SourceLocation, identityLocation: SourceLocation, ensure: Ensure = .present,
                 fieldSources: [String: SourceLocation] = [:], layers: [SourceLocation]? = nil) {
        self.body = body
        self.location = location
        self.identityLocation = identityLocation
        self.ensure = ensure
        self.fieldSources = fieldSources
        self.layers = layers ?? [location]
    }

    package var kind: ManifestKind { body.kind }
    package var address: ResourceAddress { body.address }
    package var policy: ManifestPolicy { body.policy }
}

/// A manifest's `ensure:`: `present` (the default) makes the object equal to the spec; `absent` deletes it
/// when it exists, and its spec needs only the identity fields.
package enum Ensure: String, Sendable, Hashable, Codable, CaseIterable {
    case present, absent
}

/// Where a set of manifests was read from: the repository, the ref asked for and the commit it resolved to.
package struct ManifestSource: Sendable, Hashable, Codable {
    package var repository: String
    package var ref: String
    /// The full sha of the commit; for the working tree, the commit HEAD points at (nil in a repository
    /// with no commits yet).
    package var commit: String?
    /// True when the files came from the working tree rather than the commit.
    package var isWorkingTree: Bool
    /// The environment of `provsync.yaml` the manifests are the layers of (`--env`); nil without one.
    package var environment: String?

    package init(repository: String, ref: String, commit: String?, isWorkingTree: Bool, environment: String? = nil) {
        self.repository = repository
        self.ref = ref
        self.commit = commit
        self.isWorkingTree = isWorkingTree
        self.environment = environment
    }

    /// The first seven characters of the commit, as git abbreviates it.
    package var shortCommit: String? { commit.map { String($0.prefix(7)) } }
}

/// Every manifest read from one source, in file order.
package struct ManifestSet: Sendable, Hashable, Codable {
    package var source: ManifestSource
    package var manifests: [Manifest]
    /// Warnings found while reading (skipped symlinks and submodules, for example).
    package var warnings: [Diagnostic]

    package init(source: ManifestSource, manifests: [Manifest], warnings: [Diagnostic] = []) {
        self.source = source
        self.manifests = manifests
        self.warnings = warnings
    }

    package func count(of kind: ManifestKind) -> Int {
        manifests.count { $0.kind == kind }
    }
}
