import Testing
import Foundation
@testable import ProvsyncManifests
import ProvsyncTestSupport
import ProvsyncModel

// Shared by the "Git reading: ..." suites (GitRevisionTests.swift, GitRepositoryTests.swift, ...).

/// The text of an Installation manifest for `providerName`, pinned to `version` when one is given.
func installation(_ providerName: String, version: String? = nil) -> String {
    var text = "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: \(providerName)\n"
    if let version { text += "  version: \"\(version)\"\n" }
    return text
}

/// The text of an AgentProvider manifest for the image at `location`.
func agent(_ location: String) -> String {
    "apiVersion: provsync/v1\nkind: AgentProvider\nspec:\n  location: \(location)\n"
}

/// Reads `repo` the way `--repo <path>` would, from a current directory outside of it.
func load(
    _ repo: ScratchRepository, ref: String = "HEAD", workingTree: Bool = false, paths: [String] = []
) throws -> LoadedManifests {
    try ManifestLoader.load(ManifestRequest(
        repository: repo.path, ref: ref, workingTree: workingTree, paths: paths, currentDirectory: repo.scratch.path
    ))
}

/// The error `load` throws, or nil when it does not throw.
func loadError(_ request: ManifestRequest) -> DiagnosticsError? {
    do {
        _ = try ManifestLoader.load(request)
        return nil
    } catch {
        return error
    }
}

/// The error reading `repo` the way `--repo <path>` would throws, or nil when it does not throw.
func loadError(
    _ repo: ScratchRepository, ref: String = "HEAD", workingTree: Bool = false, paths: [String] = []
) -> DiagnosticsError? {
    loadError(ManifestRequest(
        repository: repo.path, ref: ref, workingTree: workingTree, paths: paths, currentDirectory: repo.scratch.path
    ))
}

/// `count` bytes: `text` followed by YAML comment lines.
func padded(_ text: String, toBytes count: Int) -> Data {
    var result = text
    var remaining = count - text.utf8.count
    precondition(remaining > 100)
    let line = "#" + String(repeating: "x", count: 78) + "\n"
    while remaining > 100 {
        result += line
        remaining -= line.utf8.count
    }
    result += "#" + String(repeating: "y", count: remaining - 2) + "\n"
    let data = Data(result.utf8)
    precondition(data.count == count)
    return data
}

extension ScratchRepository {
    /// Writes each file (its path, then its text) and commits everything; returns the new commit's full sha.
    @discardableResult
    func commitFiles(_ files: KeyValuePairs<String, String>) throws -> String {
        for (path, text) in files {
            try write(path, text)
        }
        return try commitAll()
    }
}

extension LoadedManifests {
    var source: ManifestSource { manifestSet.source }
    var errors: [Diagnostic] { diagnostics.errors }
    var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// The pinned version of the installation `providerName`, "-" when it has none, nil when it is absent.
    func version(of providerName: String) -> String? {
        for manifest in manifestSet.manifests {
            if case .installation(let installation) = manifest.body, installation.providerName == providerName {
                return installation.version ?? "-"
            }
        }
        return nil
    }
}

extension LoadedManifests {
    /// The address of every manifest read, in order.
    var addresses: [String] { manifestSet.manifests.map(\.address.description) }
}
