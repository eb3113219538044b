import ProvsyncModel

/// Decodes `provsync.yaml`, as strictly as manifests.
enum ConfigurationDecoder {
    static let fields = ["api", "paths", "parallelism", "prune"]
    static let pruneFields = ["owns", "protect", "max_deletes"]
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
        if let node = fields["prune"] {
            configuration.prune = prune(node, context: &context)
        }
        return (configuration, locatedPaths, context.diagnostics)
    }

    /// `prune:`: address patterns that name a kind (`installation/acme/*`, `agent/ghcr.io/acme/*`), a `*`
    /// only at the end.
    private static func prune(_ node: YAMLNode, context: inout DecodingContext) -> PruneRules? {
        guard let fields = context.fields(of: node, path: "prune", allowed: pruneFields, in: "provsync.yaml prune") else {
            return nil
        }
        var rules = PruneRules()
        for name in ["owns", "protect"] {
            guard let list = fields[name].flatMap({ context.stringList($0, path: "prune.\(name)") }) else { continue }
            let patterns = list.enumerated().filter { index, pattern in
                checkPattern(pattern, field: "prune.\(name)[\(index)]", context: &context)
            }.map(\.element)
            if name == "owns" { rules.owns = patterns } else { rules.protect = patterns }
        }
        if let node = fields["max_deletes"] {
            rules.maxDeletes = context.integer(node, path: "prune.max_deletes", in: PruneRules.maxDeletesRange)
        }
        return rules
    }

    private static func checkPattern(_ pattern: Located<String>, field: String, context: inout DecodingContext) -> Bool {
        let prefixes = ManifestKind.allCases.map { $0.addressPrefix + "/" }
        let text = pattern.value
        let body = text.hasSuffix("*") ? text.dropLast() : Substring(text)
        guard let prefix = prefixes.first(where: { text.hasPrefix($0) }), body.count > prefix.count || text.hasSuffix("*"),
              !body.contains("*"), !text.contains(where: \.isWhitespace) else {
            context.error("\"\(field)\": \"\(text)\" is not an address pattern: write an address such as "
                          + "installation/acme/billing, or a prefix ending in * (\(prefixes.map { $0 + "*" }.joined(separator: ", ")))",
                          at: YAMLMark(pattern.location))
            return false
        }
        return true
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
