import Foundation
import Testing
@testable import ProvsyncManifests
import ProvsyncTestSupport

/// The agent API's own OpenAPI document, as recorded from agentstack-server 0.4.2-rc1.
private func openAPISchemas() throws -> [String: Any] {
    let url = ProvsyncBinary.packageRoot.appendingPathComponent("Tests/ProvsyncConformanceTests/Recordings/openapi.json")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let components = try #require(document["components"] as? [String: Any])
    return try #require(components["schemas"] as? [String: Any])
}

/// The JSON type an OpenAPI property holds, ignoring its null branch (`string`, `array`, `object`, ...).
private func openAPIType(_ property: [String: Any]) -> String? {
    if property["$ref"] != nil { return "object" }
    if let type = property["type"] as? String { return type }
    let branches = (property["anyOf"] as? [[String: Any]] ?? []).filter { $0["type"] as? String != "null" }
    return branches.count == 1 ? openAPIType(branches[0]) : nil
}

extension CardShape {
    fileprivate var jsonType: String {
        switch self {
        case .string: "string"
        case .boolean: "boolean"
        case .list: "array"
        case .object, .map, .any: "object"
        }
    }
}

/// Checks YAML files against a JSON Schema with python-jsonschema and prints how many errors each file has.
private let errorCounter = """
    import json, sys, yaml, jsonschema
    validator = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
    for path in sys.argv[2:]:
        count = sum(len(list(validator.iter_errors(d))) for d in yaml.safe_load_all(open(path)) if d is not None)
        print(path.rsplit("/", 1)[-1] + " " + str(count))
    """

@Suite("Agent card schema")
struct AgentCardSchemaTests {
    @Test("each card object has the fields, required fields and types of the agent API's openapi.json")
    func matchesOpenAPI() throws {
        let schemas = try openAPISchemas()
        for object in AgentCardSchema.objects {
            let schema = try #require(schemas[object.schemaName] as? [String: Any], "\(object.schemaName) is missing")
            let properties = try #require(schema["properties"] as? [String: [String: Any]])
            #expect(object.allowed.sorted() == properties.keys.sorted(), "\(object.schemaName)")
            #expect(object.required.sorted() == (schema["required"] as? [String] ?? []).sorted(), "\(object.schemaName)")
            for field in object.fields {
                #expect(properties[field.name].flatMap(openAPIType) == field.shape.jsonType,
                        "\(object.schemaName).\(field.name)")
            }
        }
    }

    @Test("provsync schema accepts the valid corpus and rejects the card mistakes of the invalid corpus")
    func schemaAgreesWithDecoder() async throws {
        let schema = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: schema) }
        try Data(try ManifestSchema.json().utf8).write(to: schema)
        let valid = try ValidCorpus.fileNames.map { try ValidCorpus.directory.appendingPathComponent($0).path }
        let invalidNames = [
            "41-agent-card-string.yaml", "42-agent-card-null.yaml", "57-agent-card-unknown-key-did-you-mean.yaml",
            "58-agent-card-unknown-skill-key.yaml", "59-agent-card-missing-required-field.yaml",
            "60-agent-card-version-number.yaml", "61-network-provider-agent-card.yaml",
        ]
        let invalid = try invalidNames.map { try InvalidCorpus.directory.appendingPathComponent($0).path }
        #expect(valid.count >= 2)
        let output = try await ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", errorCounter, schema.path] + valid + invalid
        )
        #expect(output.status == 0, "\(output.stderr)")
        let counts = Dictionary(uniqueKeysWithValues: output.stdoutLines.compactMap { line -> (String, Int)? in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let count = Int(parts[1]) else { return nil }
            return (String(parts[0]), count)
        })
        for name in ValidCorpus.fileNames {
            #expect(counts[name] == 0, "\(name) must pass the schema")
        }
        for name in invalidNames {
            #expect((counts[name] ?? 0) > 0, "\(name) must fail the schema")
        }
    }
}
