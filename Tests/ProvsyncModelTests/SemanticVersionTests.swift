import Testing
import ProvsyncModel

@Suite("Semantic versions")
struct SemanticVersionTests {
    @Test("parse valid versions and refuse others")
    func parsing() {
        #expect(SemanticVersion("1.4.2")?.description == "1.4.2")
        #expect(SemanticVersion("1.0.0-rc.1+build.5")?.prerelease == ["rc", "1"])
        #expect(SemanticVersion("1.0.0-rc.1+build.5")?.build == "build.5")
        for bad in ["1.4", "1.4.2.1", "v1.4.2", "01.2.3", "1.2.x", "", "1.2.3-", "1.2.3+", "latest"] {
            #expect(SemanticVersion(bad) == nil, "\(bad) should be refused")
        }
    }

    @Test("precedence follows semantic versioning")
    func ordering() throws {
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                       "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0"]
        let versions = try ordered.map { try #require(SemanticVersion($0)) }
        for (lower, higher) in zip(versions, versions.dropFirst()) {
            #expect(lower < higher, "\(lower) < \(higher)")
            #expect(!(higher < lower))
        }
    }

    @Test("build metadata does not change precedence")
    func buildMetadata() throws {
        let a = try #require(SemanticVersion("1.2.3+a"))
        let b = try #require(SemanticVersion("1.2.3+b"))
        #expect(a.hasSamePrecedence(as: b))
        #expect(a != b)
    }
}
