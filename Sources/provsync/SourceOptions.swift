import ArgumentParser
import Foundation
import ProvsyncManifests

/// Where manifests are read from; shared by every command that reads them.
struct SourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The git repository (default: the one around the current directory).",
                               valueName: "path"))
    var repo: String?

    @Option(help: ArgumentHelp("The revision to read manifests from: a branch, tag, sha, HEAD~1, ...",
                               valueName: "ref"))
    var ref: String = "HEAD"

    @Flag(help: "Read the working tree instead of the commit (for local editing before a commit).")
    var worktree = false

    @Option(name: .customLong("path"),
            help: ArgumentHelp("A manifest file or directory, relative to the repository root (repeatable; "
                               + "default: paths from provsync.yaml, else manifests/).", valueName: "path"))
    var paths: [String] = []

    @Option(name: .customLong("env"),
            help: ArgumentHelp("The environment of provsync.yaml to use (needed when it defines environments; "
                               + "validate takes several, and checks every one without it).", valueName: "name"))
    var environments: [String] = []

    func validate() throws {
        if worktree && ref != "HEAD" {
            throw ValidationError("--worktree reads the working tree; it cannot be combined with --ref")
        }
    }

    /// For plan, apply and drift, which work on one environment.
    func requireOneEnvironment() throws {
        if environments.count > 1 {
            throw ValidationError("--env names one environment here; run once per environment (CI: a matrix of "
                                  + "`provsync environments --format json`)")
        }
    }

    var request: ManifestRequest {
        ManifestRequest(
            repository: repo, ref: ref, workingTree: worktree, paths: paths,
            currentDirectory: FileManager.default.currentDirectoryPath, environment: environments.first
        )
    }
}
