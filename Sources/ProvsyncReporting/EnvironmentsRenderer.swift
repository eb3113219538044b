import ProvsyncModel

/// `provsync environments`: the environments of `provsync.yaml`, as text for people and as JSON for a CI
/// matrix (`fromJSON(…).names`).
package enum EnvironmentsRenderer {
    package static func text(_ environments: [EnvironmentConfiguration]) -> String {
        guard !environments.isEmpty else { return "provsync.yaml defines no environments." }
        return environments.map { environment in
            let api = [environment.apiURL, environment.storeURL, environment.agentsURL].compactMap { $0 }
            return Escaping.text("\(environment.name): layers \(environment.paths.map(\.value).joined(separator: ", "))"
                                 + (api.isEmpty ? "" : "; api \(api.joined(separator: ", "))"))
        }.joined(separator: "\n")
    }

    package static func json(_ environments: [EnvironmentConfiguration]) throws -> String {
        try PlanJSONRenderer.encode([
            "format_version": .string(Plan.formatVersion),
            "names": .array(environments.map { .string($0.name) }),
            "environments": .array(environments.map { environment in
                var object: [String: JSONValue] = [
                    "name": .string(environment.name),
                    "paths": .array(environment.paths.map { .string($0.value) }),
                ]
                if let url = environment.apiURL { object["api_url"] = .string(url) }
                if let url = environment.storeURL { object["store_url"] = .string(url) }
                if let url = environment.agentsURL { object["agents_url"] = .string(url) }
                if let parallelism = environment.parallelism { object["parallelism"] = .integer(parallelism) }
                return .object(object)
            }),
        ])
    }
}
