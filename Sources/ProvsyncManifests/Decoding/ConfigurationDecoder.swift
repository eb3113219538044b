import ProvsyncModel

/// Decodes `provsync.yaml`, as strictly as manifests.
enum ConfigurationDecoder {
    static let fields = ["api", "paths", "parallelism", "prune", "environments"]
    static let environmentFields = ["api", "paths", "parallelism", "prune", "credentials"]
    static let pruneFields = ["owns", "protect", "max_deletes"]
    static let apiFields = ["url", "store_url", "agents_url"]
    static let credentialFields = ["store_token", "agents_token", "agents_username", "agents_password"]

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
        let settings = Settings(fields, prefix: "", context: &context)
        configuration.apiURL = settings.apiURL
        configuration.storeURL = settings.storeURL
        configuration.agentsURL = settings.agentsURL
        configuration.paths = settings.paths?.map(\.value)
        configuration.parallelism = settings.parallelism
        configuration.prune = settings.prune
        if let node = fields["environments"] {
            configuration.environments = environments(node, context: &context)
            if let paths = fields.entries["paths"], !configuration.environments.isEmpty {
                context.warning("\"paths\" is not used: with environments, each environment's paths are its layers",
                                at: paths.key.mark)
            }
        }
        return (configuration, settings.paths, context.diagnostics)
    }

    /// `environments:`, a mapping of names to settings; an environment with a valid name is kept even when
    /// its settings have errors (they are reported), so that `--env` still finds it.
    private static func environments(_ node: YAMLNode, context: inout DecodingContext) -> [EnvironmentConfiguration] {
        guard case .mapping(let entries, _) = node else {
            context.error("\"environments\" must be a mapping of environment names to their settings, not "
                          + node.typeDescription, at: node.mark)
            return []
        }
        if entries.isEmpty {
            context.error("\"environments\" must define at least one environment", at: node.mark)
        }
        return entries.compactMap { entry in
            let name = entry.key.text
            guard EnvironmentConfiguration.isValidName(name) else {
                context.error("environment name \"\(name)\" must be lower-case letters, digits, _ and -, starting "
                              + "with a letter or digit", at: entry.key.mark)
                return nil
            }
            var environment = EnvironmentConfiguration(name: name, location: context.location(entry.key.mark))
            let path = "environments.\(name)"
            guard let fields = context.fields(of: entry.value, path: path, allowed: environmentFields,
                                              in: "environment \"\(name)\"", key: entry.key.mark) else {
                return environment
            }
            _ = context.required("paths", in: fields)
            let settings = Settings(fields, prefix: path + ".", context: &context)
            environment.apiURL = settings.apiURL
            environment.storeURL = settings.storeURL
            environment.agentsURL = settings.agentsURL
            environment.paths = settings.paths ?? []
            environment.parallelism = settings.parallelism
            environment.prune = settings.prune
            if let node = fields["credentials"] {
                environment.credentials = credentials(node, path: path + ".credentials", context: &context)
            }
            return environment
        }
    }

    /// `credentials:`: names of environment variables, checked as names; a value is never echoed, since it
    /// may be a secret pasted in by mistake.
    private static func credentials(_ node: YAMLNode, path: String, context: inout DecodingContext) -> EnvironmentCredentials {
        var credentials = EnvironmentCredentials()
        guard let fields = context.fields(of: node, path: path, allowed: credentialFields, in: path) else {
            return credentials
        }
        credentials.storeToken = variableName(fields["store_token"], path: path + ".store_token", context: &context)
        credentials.agentsToken = variableName(fields["agents_token"], path: path + ".agents_token", context: &context)
        credentials.agentsUsername = variableName(fields["agents_username"], path: path + ".agents_username",
                                                  context: &context)
        credentials.agentsPassword = variableName(fields["agents_password"], path: path + ".agents_password",
                                                  context: &context)
        if let username = fields.entries["agents_username"], fields["agents_password"] == nil {
            context.error("\"\(path).agents_username\" needs \"agents_password\" beside it: the agent API checks the "
                          + "password", at: username.key.mark)
        }
        return credentials
    }

    private static func variableName(_ node: YAMLNode?, path: String, context: inout DecodingContext) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node, case .string(let name) = scalar.resolved,
              EnvironmentCredentials.isValidVariableName(name) else {
            context.error("\"\(path)\" must be the NAME of the environment variable holding the secret (A-Z, 0-9 "
                          + "and _, not starting with a digit), like PROD_STORE_TOKEN, never the secret itself; "
                          + "the value is not shown", at: node.mark)
            return nil
        }
        return name
    }

    /// `api`, `paths`, `parallelism` and `prune`, as the top level and each environment write them; `prefix`
    /// names their owner in messages (`environments.staging.`).
    private struct Settings {
        var apiURL: String?
        var storeURL: String?
        var agentsURL: String?
        var paths: [Located<String>]?
        var parallelism: Int?
        var prune: PruneRules?

        init(_ fields: MappingFields, prefix: String, context: inout DecodingContext) {
            if let node = fields["api"] {
                let path = prefix + "api"
                if case .scalar = node {
                    apiURL = ConfigurationDecoder.url(node, path: path, context: &context)
                } else if let api = context.fields(of: node, path: path, allowed: apiFields, in: "provsync.yaml \(path)") {
                    apiURL = api["url"].flatMap { ConfigurationDecoder.url($0, path: path + ".url", context: &context) }
                    storeURL = api["store_url"].flatMap {
                        ConfigurationDecoder.url($0, path: path + ".store_url", context: &context)
                    }
                    agentsURL = api["agents_url"].flatMap {
                        ConfigurationDecoder.url($0, path: path + ".agents_url", context: &context)
                    }
                }
            }
            if let node = fields["paths"], let list = context.stringList(node, path: prefix + "paths") {
                if list.isEmpty {
                    context.error("\"\(prefix)paths\" must name at least one path", at: node.mark)
                } else {
                    paths = list
                }
            }
            if let node = fields["parallelism"] {
                parallelism = context.integer(node, path: prefix + "parallelism", in: ProjectConfiguration.parallelismRange)
            }
            if let node = fields["prune"] {
                prune = ConfigurationDecoder.prune(node, path: prefix + "prune", context: &context)
            }
        }
    }

    /// `prune:`: address patterns that name a kind (`installation/acme/*`, `agent/ghcr.io/acme/*`), a `*`
    /// only at the end.
    private static func prune(_ node: YAMLNode, path: String, context: inout DecodingContext) -> PruneRules? {
        guard let fields = context.fields(of: node, path: path, allowed: pruneFields, in: "provsync.yaml \(path)") else {
            return nil
        }
        var rules = PruneRules()
        for name in ["owns", "protect"] {
            guard let list = fields[name].flatMap({ context.stringList($0, path: "\(path).\(name)") }) else { continue }
            let patterns = list.enumerated().filter { index, pattern in
                checkPattern(pattern, field: "\(path).\(name)[\(index)]", context: &context)
            }.map(\.element)
            if name == "owns" { rules.owns = patterns } else { rules.protect = patterns }
        }
        if let node = fields["max_deletes"] {
            rules.maxDeletes = context.integer(node, path: "\(path).max_deletes", in: PruneRules.maxDeletesRange)
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
