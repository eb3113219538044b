import ProvsyncModel

/// Decodes the YAML documents of one manifest file into typed manifests, with a located diagnostic for
/// every problem found (all of them, not only the first).
package enum ManifestDecoder {
    static let topLevelFields = ["apiVersion", "kind", "spec", "policy"]

    package static func decode(
        file: String, bytes: [UInt8], limits: YAMLLimits = .standard
    ) -> (manifests: [Manifest], diagnostics: [Diagnostic]) {
        let parsed = YAMLParser.parse(bytes, limits: limits)
        var context = DecodingContext(file: file)
        for problem in parsed.problems {
            context.error(problem.message, at: problem.mark)
        }
        var manifests: [Manifest] = []
        for document in parsed.documents {
            guard let root = document.root else { continue }
            if let manifest = decode(root, context: &context) {
                manifests.append(manifest)
            }
        }
        return (manifests, context.diagnostics)
    }

    private static func decode(_ root: YAMLNode, context: inout DecodingContext) -> Manifest? {
        guard case .mapping = root else {
            context.error("a manifest must be a mapping with apiVersion, kind and spec, not \(root.typeDescription)",
                          at: root.mark)
            return nil
        }
        guard let fields = context.fields(of: root, path: "", allowed: topLevelFields, in: "manifest") else {
            return nil
        }
        let apiVersion = context.required("apiVersion", in: fields).flatMap { context.string($0, path: "apiVersion") }
        if let apiVersion, apiVersion.value != manifestAPIVersion {
            context.error("unknown apiVersion \"\(apiVersion.value)\"; expected \"\(manifestAPIVersion)\"",
                          at: mark(apiVersion.location))
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
        guard apiVersion?.value == manifestAPIVersion, let kind, let spec else { return nil }
        let location = context.location(root.mark)
        switch kind {
        case .installation:
            guard let (installation, identity) = InstallationDecoder.decode(
                spec: spec, key: fields.entries["spec"]?.key.mark, policy: fields["policy"], context: &context
            ) else { return nil }
            return Manifest(.installation(installation), location: location, identityLocation: context.location(identity))
        case .agentProvider:
            guard let (agent, identity) = AgentProviderDecoder.decode(
                spec: spec, key: fields.entries["spec"]?.key.mark, policy: fields["policy"], context: &context
            ) else { return nil }
            return Manifest(.agentProvider(agent), location: location, identityLocation: context.location(identity))
        }
    }

    private static func mark(_ location: SourceLocation) -> YAMLMark {
        YAMLMark(line: location.line, column: location.column)
    }
}
