import Testing
import Foundation
@testable import ProvsyncManifests
import ProvsyncTestSupport
import ProvsyncModel

/// The project configuration, provsync.yaml at the repository root: its paths, where it is read from, that it
/// is never a manifest, and its errors.
@Suite("Git reading: provsync.yaml")
struct GitConfigurationTests {
    @Test("paths: from provsync.yaml is used when no path is requested; requested paths win")
    func configurationPaths() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            "provsync.yaml": "paths: [infra/providers, extra.yaml]\nparallelism: 4\n",
            "infra/providers/p.yaml": installation("acme/p"),
            "extra.yaml": installation("acme/extra"),
            "manifests/m.yaml": installation("acme/m"),
        ])

        let configured = try load(repo)
        #expect(configured.diagnostics.isEmpty)
        #expect(configured.configuration.paths == ["infra/providers", "extra.yaml"])
        #expect(configured.configuration.parallelism == 4)
        #expect(configured.addresses == ["installation/acme/extra", "installation/acme/p"])

        let explicit = try load(repo, paths: ["manifests"])
        #expect(explicit.diagnostics.isEmpty)
        #expect(explicit.addresses == ["installation/acme/m"])
        #expect(explicit.configuration.paths == ["infra/providers", "extra.yaml"])
    }

    @Test("provsync.yaml is read at the commit, not from the working tree")
    func configurationAtCommit() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            "provsync.yaml": "paths: [one]\n",
            "one/a.yaml": installation("acme/one"),
            "two/b.yaml": installation("acme/two"),
        ])
        try repo.write("provsync.yaml", "paths: [two]\n")

        let committed = try load(repo)
        #expect(committed.addresses == ["installation/acme/one"])
        let working = try load(repo, workingTree: true)
        #expect(working.addresses == ["installation/acme/two"])
    }

    @Test("provsync.yaml is never read as a manifest, even when the path is the repository root")
    func configurationIsNotAManifest() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            "provsync.yaml": "api: https://platform.example.com\nparallelism: 2\n",
            "root.yaml": installation("acme/root"),
            "manifests/a.yaml": installation("acme/a"),
            "nested/provsync.yaml": installation("acme/nested"),
        ])

        let expected = ["installation/acme/a", "installation/acme/nested", "installation/acme/root"]
        for path in [".", "./"] {
            let loaded = try load(repo, paths: [path])
            #expect(loaded.diagnostics.isEmpty, "path \(path)")
            #expect(loaded.addresses == expected, "path \(path)")
            #expect(loaded.fileCount == 3, "path \(path)")
            #expect(loaded.configuration.apiURL == "https://platform.example.com")
        }
        let working = try load(repo, workingTree: true, paths: ["."])
        #expect(working.diagnostics.isEmpty)
        #expect(working.addresses == expected)

        try repo.commitFiles(["provsync.yaml": "paths: [.]\n"])
        let configured = try load(repo)
        #expect(configured.diagnostics.isEmpty)
        #expect(configured.addresses == expected)
    }

    @Test("provsync.yaml named as a path is not decoded as a manifest")
    func configurationNamedAsPath() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            "provsync.yaml": "paths: [manifests]\n",
            "manifests/a.yaml": installation("acme/a"),
        ])

        let loaded = try load(repo, paths: ["provsync.yaml", "manifests"])
        #expect(loaded.addresses == ["installation/acme/a"])
        #expect(loaded.fileCount == 1)
        // No manifest errors ("missing required field apiVersion", ...) located in provsync.yaml.
        #expect(loaded.diagnostics.allSatisfy { $0.location?.file != "provsync.yaml" })
    }

    @Test("a symlinked provsync.yaml is reported, not silently ignored")
    func configurationSymlink() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("config/provsync.yaml", "paths: [infra]\n")
        try repo.symlink("provsync.yaml", to: "config/provsync.yaml")
        try repo.commitFiles([
            "infra/a.yaml": installation("acme/a"),
            "manifests/m.yaml": installation("acme/m"),
        ])

        for workingTree in [false, true] {
            let loaded = try load(repo, workingTree: workingTree)
            #expect(loaded.warnings.map(\.location) == [.file("provsync.yaml")], "workingTree: \(workingTree)")
            #expect(loaded.warnings.first?.message.contains("symlink") == true)
        }
    }

    @Test("an unknown key in provsync.yaml is an error located in provsync.yaml")
    func invalidConfiguration() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            "provsync.yaml": "parallelism: 4\npathz: [infra]\n",
            "manifests/a.yaml": installation("acme/a"),
        ])

        let loaded = try load(repo)
        #expect(!loaded.isValid)
        #expect(loaded.errors.count == 1)
        let error = try #require(loaded.errors.first)
        #expect(error.location == SourceLocation(file: "provsync.yaml", line: 2, column: 1))
        #expect(error.message.contains("unknown field \"pathz\""))
        #expect(error.message.contains("did you mean \"paths\"?"))
        #expect(error.description.hasPrefix("provsync.yaml:2:1: error: "))
    }

    @Test("a wrongly typed provsync.yaml value is located at its line and column")
    func invalidConfigurationValue() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            "provsync.yaml": "paths: [manifests]\nparallelism: 0\n",
            "manifests/a.yaml": installation("acme/a"),
        ])
        let loaded = try load(repo)
        #expect(loaded.errors.count == 1)
        #expect(loaded.errors.first?.location == SourceLocation(file: "provsync.yaml", line: 2, column: 14))
        #expect(loaded.addresses == ["installation/acme/a"])
    }

    @Test("a provsync.yaml that is not a mapping says what it must be")
    func configurationNotAMapping() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.commitFiles([
            "provsync.yaml": "- manifests\n",
            "manifests/a.yaml": installation("acme/a"),
        ])
        let loaded = try load(repo)
        #expect(loaded.errors.map(\.description) == [
            "provsync.yaml:1:1: error: provsync.yaml must be a mapping of api, paths, parallelism, prune, environments, "
            + "not a list",
        ])
    }

    @Test("problems with paths named in provsync.yaml are reported at their place there")
    func configuredPathErrors() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        let sha = try repo.commitFiles([
            "provsync.yaml": "paths:\n  - manifests\n  - missing\n  - ../outside\n",
            "manifests/a.yaml": installation("acme/a"),
        ])
        let loaded = try load(repo)
        #expect(loaded.errors.map(\.description) == [
            "provsync.yaml:3:5: error: manifest path 'missing' does not exist at HEAD (\(sha.prefix(7)))",
            "provsync.yaml:4:5: error: manifest path '../outside' must be relative and inside the repository",
        ])
    }
}
