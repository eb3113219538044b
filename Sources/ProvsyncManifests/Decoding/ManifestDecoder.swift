import ProvsyncModel

/// Decodes the YAML documents of one manifest file into typed manifests, with a located diagnostic for
/// every problem found (all of them, not only the first).
package enum ManifestDecoder {
    static let topLevelFields = ["apiVersion", "kind", "spec", "policy", "ensure"]

    /// What one file holds: its valid manifests, the identity of every document that names one (valid or
    /// not, so that clashes are reported even beside other errors), and its diagnostics.
    package struct DecodedFile: Sendable {
        package var manifests: [Manifest]
        package var identities: [ManifestIdentity]
        package var diagnostics: [Diagnostic]
    }

    package static func decode(file: String, bytes: [UInt8], limits: YAMLLimits = .standard) -> DecodedFile {
        let parsed = YAMLParser.parse(bytes, limits: limits)
        var context = DecodingContext(file: file)
        for problem in parsed.problems {
            context.error(problem.message, at: problem.mark)
        }
        var decoded = DecodedFile(manifests: [], identities: [], diagnostics: [])
        for document in parsed.documents {
            guard let root = document.root else { continue }
            let (manifest, identity) = decodeDocument(root, context: &context)
            if let manifest { decoded.manifests.append(manifest) }
            if let identity { decoded.identities.append(identity) }
        }
        decoded.diagnostics = context.diagnostics
        return decoded
    }

    /// The kind and address a document claims, read without reporting anything: nil unless it is a mapping
    /// with `apiVersion: provsync/v1`, a known kind and a spec whose identity fields are valid.
    static func identity(of root: YAMLNode, context: DecodingContext) -> ManifestIdentity? {
        guard root.value(forKey: "apiVersion").flatMap(DecodingContext.literalText) == manifestAPIVersion,
              let kind = root.value(forKey: "kind").flatMap(DecodingContext.literalText).flatMap({ ManifestKind(rawValue: $0) }),
              let spec = root.value(forKey: "spec") else { return nil }
        return kind.decoding.identity(ofSpec: spec, context: context)
    }

    /// One document (or the merge of its layers) as a manifest when it is valid, and the identity it claims
    /// (kept even when it is invalid, so that clashes are still found).
    static func decodeDocument(_ root: YAMLNode, context: inout DecodingContext) -> (Manifest?, ManifestIdentity?) {
        decodeDocument(root, claiming: identity(of: root, context: context), context: &context)
    }

    /// The same, with the identity `identity(of: root)` gave when the document was first read (so it is not
    /// worked out twice).
    static func decodeDocument(_ root: YAMLNode, claiming identity: ManifestIdentity?,
                               context: inout DecodingContext) -> (Manifest?, ManifestIdentity?) {
        guard case .mapping = root else {
            context.error("a manifest must be a mapping with apiVersion, kind and spec, not \(root.typeDescription)",
                          at: root.mark)
            return (nil, nil)
        }
        guard let fields = context.fields(of: root, path: "", allowed: topLevelFields, in: "manifest") else {
            return (nil, nil)
        }
        let apiVersion = context.required("apiVersion", in: fields).flatMap { context.string($0, path: "apiVersion") }
        if let apiVersion, apiVersion.value != manifestAPIVersion {
            context.error("unknown apiVersion \"\(apiVersion.value)\"; expected \"\(manifestAPIVersion)\"",
                          at: YAMLMark(apiVersion.location))
        }
        let kind = context.required("kind", in: fields).flatMap { node -> ManifestKind? in
            guard let text = context.string(node, path: "kind") else { return nil }
            if let kind = ManifestKind(rawValue: text.value) { return kind }
            let kinds = ManifestKind.allCases.map(\.rawValue)
            context.error("unknown kind \"\(text.value)\"; expected one of \(kinds.joined(separator: ", "))"
                          + Suggestions.hint(for: text.value, among: kinds), at: node.mark)
            return nil
        }
        let spec = context.required("spec", in: fields)
        var ensure = Ensure.present
        var ensureIsValid = true
        if let node = fields["ensure"] {
            if let value = context.enumeration(node, path: "ensure", as: Ensure.self) { ensure = value } else {
                ensureIsValid = false
            }
        }
        guard apiVersion?.value == manifestAPIVersion, let kind, let spec else { return (nil, identity) }
        let location = context.location(root.mark)
        let specKey = fields.entries["spec"]?.key.mark
        let manifest = kind.decoding.decodeDocument(spec: spec, key: specKey, policy: fields["policy"],
                                                    identity: identity, at: location, context: &context)
        guard ensureIsValid, var manifest else { return (nil, identity) }
        manifest.ensure = ensure
        manifest.fieldSources = fieldSources(of: root, kind: kind, context: context)
        return (manifest, identity)
    }

    /// Where each value of a document is written: spec fields by their diff path, each key of a map field
    /// (`config.KEY`), `ensure`, and `policy.FIELD`.
    private static func fieldSources(
        of root: YAMLNode, kind: ManifestKind, context: DecodingContext
    ) -> [String: SourceLocation] {
        var sources: [String: SourceLocation] = [:]
        func record(_ node: YAMLNode?, prefix: String, expanding mapFields: [String] = []) {
            guard case .mapping(let entries, _) = node else { return }
            for entry in entries {
                let path = prefix + entry.key.text
                sources[path] = context.location(entry.value.mark)
                if mapFields.contains(entry.key.text) {
                    record(entry.value, prefix: path + ".")
                }
            }
        }
        record(root.value(forKey: "spec"), prefix: "", expanding: kind.decoding.policyPaths.mapFields)
        record(root.value(forKey: "policy"), prefix: "policy.")
        if let ensure = root.value(forKey: "ensure") {
            sources["ensure"] = context.location(ensure.mark)
        }
        return sources
    }
}

/// The address a document claims, and where: kept even for invalid documents so clashes are still found.
package struct ManifestIdentity: Sendable, Hashable {
    package var address: ResourceAddress
    package var location: SourceLocation
}
