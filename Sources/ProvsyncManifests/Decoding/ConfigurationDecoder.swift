import ProvsyncModel

/// Decodes `provsync.yaml`, as strictly as manifests.
enum ConfigurationDecoder {
    static let fields = ["api", "paths", "parallelism"]
    static let apiFields = ["url", "store_url", "agents_url"]

    /// The settings, the manifest paths with their places (nil when the file names none), and diagnostics.
    static func decode(
        file: String, bytes: [UInt8], limits: YAMLLimits
    ) -> (configuration: ProjectConfiguration, paths: [Located<String>]?, diagnostics: [Diagnostic]) {
        let parsed = YAMLParser.parse(bytes, limits: limits)
        var context = DecodingContext(file: file)
        for problem in parsed.problems {
            context.error(problem.message, at: problem.mark)
        }
        var configuration = ProjectConfiguration()
        let roots = parsed.documents.compactMap(\.root)
        if roots.count > 1 {
            context.error("provsync.yaml must hold one document", at: roots[1].mark)
        }
        guard let root = roots.first else { return (configuration, nil, context.diagnostics) }
        guard case .mapping = root else {
            context.error("provsync.yaml must be a mapping of \(fields.joined(separator: ", ")), not \(root.typeDescription)",
                          at: root.mark)
            return (configuration, nil, context.diagnostics)
        }
        guard let fields = context.fields(of: root, path: "", allowed: fields, in: "provsync.yaml") else {
            return (configuration, nil, context.diagnostics)
        }
        var locatedPaths: [Located<String>]?
        if let node = fields["api"] {
            if case .scalar = node {
                configuration.apiURL = url(node, path: "api", context: &context)
            } else if let api = context.fields(of: node, path: "api", allowed: apiFields, in: "provsync.yaml api") {
                configuration.apiURL = api["url"].flatMap { url($0, path: "api.url", context: &context) }
                configuration.storeURL = api["store_url"].flatMap { url($0, path: "api.store_url", context: &context) }
                configuration.agentsURL = api["agents_url"].flatMap {
                    url($0, path: "api.agents_url", context: &context)
                }
            }
        }
        if let node = fields["paths"], let paths = context.stringList(node, path: "paths") {
            if paths.isEmpty {
                context.error("\"paths\" must name at least one path", at: node.mark)
            } else {
                configuration.paths = paths.map(\.value)
                locatedPaths = paths
            }
        }
        if let node = fields["parallelism"] {
            configuration.parallelism = context.integer(
                node, path: "parallelism", in: ProjectConfiguration.parallelismRange
            )
        }
        return (configuration, locatedPaths, context.diagnostics)
    }

    private static func url(_ node: YAMLNode, path: String, context: inout DecodingContext) -> String? {
        guard let text = context.string(node, path: path) else { return nil }
        guard text.value.hasPrefix("http://") || text.value.hasPrefix("https://") else {
            context.error("\"\(path)\" must be an http:// or https:// URL, not \"\(text.value)\"", at: node.mark)
            return nil
        }
        return text.value
    }
}
