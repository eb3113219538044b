import Foundation
@testable import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import Testing

@Suite("Decoding store provider versions")
struct VersionDecodingTests {
    private func read(_ json: String) throws -> StoreVersion? {
        try WireStoreVersion(wire: JSONParser.parse(Data(json.utf8))).value
    }

    @Test("a pragmatiks-sdk ProviderVersion reads its version, status and error message")
    func sdkShape() throws {
        let staged = #"""
            {"prefix": "acme", "name": "postgres", "version": "1.6.0", "distribution_name": "acme-postgres",
             "status": "staged", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
             "published_at": null, "error_message": null}
            """#
        #expect(try read(staged) == StoreVersion(version: "1.6.0", status: "staged"))
        #expect(try read(staged)?.isPublished == false)
        let failed = #"{"version": "1.1.0", "status": "failed", "error_message": "wheel_refused"}"#
        #expect(try read(failed) == StoreVersion(version: "1.1.0", status: "failed", errorMessage: "wheel_refused"))
        let published = #"{"version": "1.5.0", "status": "published", "published_at": "2026-01-01T00:00:00Z"}"#
        #expect(try read(published)?.isPublished == true)
    }

    @Test("older servers' items count as published: only a version, a null status, or a bare string")
    func oldShapes() throws {
        #expect(try read(#"{"version": "1.0.0"}"#) == StoreVersion(version: "1.0.0", status: "published"))
        #expect(try read(#"{"version": "1.0.0", "status": null}"#)?.isPublished == true)
        #expect(try read(#""2.0.0""#) == StoreVersion(version: "2.0.0", status: "published"))
    }

    @Test("unknown keys are ignored; an item without a version is skipped; a number is an error naming its index")
    func leniency() throws {
        let grown = #"""
            {"version": "3.0.0", "status": "queued", "keywords": ["db"], "schemas": [{"type": "x"}],
             "embedded_providers": {"a": "1"}, "operation_deadline_at": "2026-01-01T00:00:00Z", "new_field": {"x": 1}}
            """#
        #expect(try read(grown) == StoreVersion(version: "3.0.0", status: "queued"))
        #expect(try read(#"{"status": "published"}"#) == nil)
        let list = try [WireStoreVersion](wire: JSONParser.parse(Data(#"["1.0.0", {"status": "x"}, {"version": "2.0.0"}]"#.utf8)))
        #expect(list.compactMap(\.value).map(\.version) == ["1.0.0", "2.0.0"])
        #expect(throws: WireError.self) { try [WireStoreVersion](wire: JSONParser.parse(Data(#"["1.0.0", 7]"#.utf8))) }
    }

    @Test("the reader lists every version with its status, and versions(of:) only the published ones")
    func throughTheSandbox() async throws {
        try await withSandbox { sandbox in
            let reader = sandbox.reader()
            let listed = try await reader.catalogVersions(of: "acme/postgres")
            #expect(listed.first == StoreVersion(version: "1.6.0", status: "staged"))
            #expect(listed.dropFirst().allSatisfy { $0.isPublished })
            #expect(try await reader.versions(of: "acme/postgres") == ["1.5.0", "1.4.2", "1.4.0", "1.3.0"])
            let flaky = try await reader.catalogVersions(of: "acme/flaky")
            #expect(flaky.first?.status == "failed")
            #expect(flaky.first?.errorMessage?.hasPrefix("import_failed") == true)
        }
    }
}
