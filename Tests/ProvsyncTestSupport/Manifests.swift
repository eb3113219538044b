/// Manifest texts for tests.
package enum Manifests {
    package static func installation(_ name: String, version: String? = nil, extra: String = "") -> String {
        "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: \(name)\n"
            + (version.map { "  version: \"\($0)\"\n" } ?? "") + extra
    }

    package static func agent(_ location: String, origin: String? = nil, variables: [String: String]? = nil,
                      extra: String = "") -> String {
        var text = "apiVersion: provsync/v1\nkind: AgentProvider\nspec:\n  location: \(location)\n"
        if let origin { text += "  origin: \(origin)\n" }
        if let variables {
            text += variables.isEmpty ? "  variables: {}\n" : "  variables:\n"
                + variables.sorted { $0.key < $1.key }.map { "    \($0.key): \($0.value)\n" }.joined()
        }
        return text + extra
    }
}
