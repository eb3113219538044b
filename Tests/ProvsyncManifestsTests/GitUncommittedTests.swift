import Testing
import Foundation
@testable import ProvsyncManifests
import ProvsyncTestSupport
import ProvsyncModel

@Suite("Git reading: uncommitted manifest edits")
struct GitUncommittedTests {
    private func warnings(_ loaded: LoadedManifests) -> [String] {
        loaded.diagnostics.filter { $0.severity == .warning }.map(\.message)
    }

    @Test("reading HEAD past uncommitted manifest edits says so once and names --worktree")
    func editedManifest() throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/pg.yaml", installation("acme/postgres", version: "1.4.2"))
        try repo.write("README.md", "readme\n")
        _ = try repo.commitAll()
        #expect(warnings(try load(repo)).isEmpty, "a clean tree says nothing")

        try repo.write("README.md", "changed\n")
        #expect(warnings(try load(repo)).isEmpty, "files outside the manifest paths do not count")

        try repo.write("manifests/pg.yaml", installation("acme/postgres", version: "1.5.0"))
        try repo.write("manifests/new.yaml", installation("acme/redis"))
        let head = try repo.sha("HEAD").prefix(7)
        #expect(warnings(try load(repo)) == [
            "manifests/new.yaml and 1 more have uncommitted changes, which this reads past: it reads HEAD (\(head)); "
                + "commit them, or pass --worktree to read the working tree",
        ])
        #expect(warnings(try load(repo, workingTree: true)).isEmpty, "--worktree reads them")
        #expect(warnings(try load(repo, ref: String(head))).isEmpty, "an explicit ref is read as asked")
        #expect(warnings(try load(repo, paths: ["other"])).filter { $0.contains("uncommitted") }.isEmpty)
    }
}
