import Foundation
import Testing
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncTestSupport

/// Checks YAML files against the printed schema with python-jsonschema, a validator independent of provsync.
private let checker = """
    import json, sys, yaml, jsonschema
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sys.argv[2:]:
        for document in yaml.safe_load_all(open(path)):
            if document is None:
                continue
            errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
            for error in errors:
                print(path + ": " + "/".join(str(p) for p in error.path) + ": " + error.message)
    """

@Suite("provsync schema")
struct SchemaCommandTests {
    private func schemaFile() async throws -> URL {
        let output = try await ProvsyncBinary.run(["schema"], in: ProvsyncBinary.packageRoot)
        #expect(output.status == 0)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
        try Data(output.stdout.utf8).write(to: url)
        return url
    }

    private func check(_ files: [String], schema: URL) async throws -> ProcessOutput {
        try await ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", checker, schema.path] + files,
            in: ProvsyncBinary.packageRoot
        )
    }

    @Test("the schema is draft 2020-12 JSON and accepts every demo manifest")
    func acceptsDemo() async throws {
        let schema = try await schemaFile()
        defer { try? FileManager.default.removeItem(at: schema) }
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: schema))
        #expect(json["$schema"]?.string == "https://json-schema.org/draft/2020-12/schema")
        let manifests = try FileManager.default.subpathsOfDirectory(
            atPath: ProvsyncBinary.packageRoot.appendingPathComponent("manifests").path
        ).filter { $0.hasSuffix(".yaml") }.map { "manifests/\($0)" }
        #expect(manifests.count >= 5)
        let result = try await check(manifests, schema: schema)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "\(result.stdout)")
    }

    @Test("the schema rejects a broken manifest, naming each wrong field")
    func rejectsBroken() async throws {
        let schema = try await schemaFile()
        defer { try? FileManager.default.removeItem(at: schema) }
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: broken) }
        try Data("""
            apiVersion: provsync/v1
            kind: Installation
            spec:
              provider_name: acme
              resource_tier: fast
              surprise: true
            ---
            apiVersion: provsync/v1
            kind: AgentProvider
            spec:
              location: acme/agent
              auto_stop_timeout_sec: 0
              variables: {BAD-NAME: x}
            policy: {allow_replace: "yes"}

            """.utf8).write(to: broken)
        let result = try await check([broken.path], schema: schema)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdoutLines.map { $0.replacingOccurrences(of: broken.path + ": ", with: "") }
        #expect(lines.contains { $0.hasPrefix("spec/provider_name: ") })
        #expect(lines.contains { $0.hasPrefix("spec/resource_tier: ") })
        #expect(lines.contains { $0.hasPrefix("spec: Additional properties are not allowed ('surprise'") })
        #expect(lines.contains { $0.hasPrefix("spec/auto_stop_timeout_sec: 0 is less than the minimum of 1") })
        #expect(lines.contains { $0.hasPrefix("spec/variables: ") })
        #expect(lines.contains { $0.hasPrefix("policy/allow_replace: 'yes' is not of type 'boolean'") })
    }
}
