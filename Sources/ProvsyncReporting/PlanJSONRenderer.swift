import Foundation
import ProvsyncModel

/// The plan as the spec's JSON (`--format json`): the plan file without its saved part. Secrets are
/// `"(sensitive)"`, their difference marked `"sensitive": true`; the encoder escapes quotes and control
/// characters in every string, `Escaping.jsonDocument` the characters it leaves raw.
package enum PlanJSONRenderer {
    package static func render(_ plan: Plan) throws -> String {
        Escaping.jsonDocument(try PlanFile(plan).encoded())
    }

    static func source(_ source: ManifestSource) -> JSONValue {
        var object: [String: JSONValue] = [
            "repo": .string(source.repository),
            "ref": .string(source.ref),
            "commit": source.commit.map(JSONValue.string) ?? .null,
            "worktree": .bool(source.isWorkingTree),
        ]
        if let environment = source.environment { object["environment"] = .string(environment) }
        return .object(object)
    }

    static func encode(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Escaping.jsonDocument(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
