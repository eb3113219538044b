import ProvsyncModel

/// Which environment of provsync.yaml a request reads, or why it cannot be read.
enum EnvironmentSelection {
    /// The environment `--env` names; nil when provsync.yaml defines none and none is named. Throws when the
    /// file defines environments and none is named, when the name is unknown or none are defined, and when
    /// `--path` is given beside an environment, whose layers are its paths.
    static func environment(
        for request: ManifestRequest, in read: ManifestLoader.ConfigurationRead
    ) throws(DiagnosticsError) -> EnvironmentConfiguration? {
        let names = read.configuration.environmentNames
        let listed = names.joined(separator: ", ")
        guard let name = request.environment else {
            guard names.isEmpty else {
                throw failure("provsync.yaml defines environments \(listed): pass --env NAME", read)
            }
            return nil
        }
        guard !names.isEmpty else {
            throw failure("--env \(name): provsync.yaml defines no environments; drop --env", read)
        }
        guard let environment = read.configuration.environment(named: name) else {
            let hint = suggestion(for: name, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
            throw failure("unknown environment \"\(name)\"; provsync.yaml defines \(listed)\(hint)", read)
        }
        guard request.paths.isEmpty else {
            let layers = environment.paths.map(\.value).joined(separator: ", ")
            throw failure("--path cannot be combined with --env: environment \(name) reads its layers from "
                          + "provsync.yaml (\(layers))", read)
        }
        return environment
    }

    /// A likely typo's correction, else the one name that `name` abbreviates (`prod` for `production`).
    private static func suggestion(for name: String, among names: [String]) -> String? {
        if let closest = Suggestions.closest(to: name, among: names) { return closest }
        let abbreviated = names.filter { $0.hasPrefix(name) }
        return abbreviated.count == 1 ? abbreviated.first : nil
    }

    /// The problem, after the errors of provsync.yaml (which may be why an environment is missing).
    private static func failure(_ message: String, _ read: ManifestLoader.ConfigurationRead) -> DiagnosticsError {
        DiagnosticsError(read.diagnostics.errors + [.error(message)])
    }
}
