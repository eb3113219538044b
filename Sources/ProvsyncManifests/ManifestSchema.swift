import Foundation
import ProvsyncModel

/// A JSON Schema (draft 2020-12) of the manifest format, for editors that complete and check YAML.
/// It uses the decoder's enums and limits; a test checks its field names against the decoder's lists.
package enum ManifestSchema {
    package static let semanticVersionPattern =
        #"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$"#
    package static let environmentNamePattern = "^[A-Za-z_][A-Za-z0-9_]*$"

    /// The schema as pretty-printed JSON with sorted keys.
    package static func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    package static var document: JSONValue {
        [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "provsync manifest",
            "description": "One provider managed by provsync: an Installation (store provider) or an AgentProvider.",
            "type": "object",
            "required": ["apiVersion", "kind", "spec"],
            "additionalProperties": false,
            "properties": [
                "apiVersion": ["const": .string(manifestAPIVersion)],
                "kind": ["enum": .array(ManifestKind.allCases.map { .string($0.rawValue) })],
                "spec": ["type": "object"],
                "policy": ["$ref": "#/$defs/policy"],
                "ensure": ["enum": .array(Ensure.allCases.map { .string($0.rawValue) }), "default": "present",
                           "description": "absent: delete the object when it exists; the spec then needs only its identity."],
            ],
            "allOf": .array(ManifestKind.allCases.map { specRule(for: $0.decoding) }),
            "$defs": .object(definitions),
        ]
    }

    /// Each kind's spec schema, the policy and the environment map.
    private static var definitions: [String: JSONValue] {
        var definitions: [String: JSONValue] = [
            "policy": policy,
            "environmentMap": [
                "type": "object",
                "description": "Names to string values; ${env:NAME} reads an environment variable at plan time.",
                "propertyNames": ["pattern": .string(environmentNamePattern)],
                "additionalProperties": ["type": "string"],
            ],
        ]
        for kind in ManifestKind.allCases {
            definitions[kind.decoding.schemaName] = kind.decoding.specSchema
        }
        return definitions
    }

    private static func specRule(for decoding: any KindDecoding.Type) -> JSONValue {
        [
            "if": ["properties": ["kind": ["const": .string(decoding.kind.rawValue)]], "required": ["kind"]],
            "then": ["properties": ["spec": ["$ref": .string("#/$defs/\(decoding.schemaName)")]]],
        ]
    }

    private static var policy: JSONValue {
        [
            "type": ["object", "null"],
            "additionalProperties": false,
            "properties": [
                "ignore": ["type": "array", "items": ["type": "string"],
                           "description": "Dotted paths never diffed, e.g. config.LOG_LEVEL."],
                "sensitive": ["type": "array", "items": ["type": "string"],
                              "description": "Dotted paths always redacted in output."],
                "allow_replace": ["type": "boolean", "default": false,
                                  "description": "Allow changes that need uninstall + install."],
                "cascade": ["type": "boolean", "default": false,
                            "description": "Installations: deleting also removes the installation's active resources."],
            ],
        ]
    }

    static func enumeration<Value: RawRepresentable & CaseIterable>(
        _ type: Value.Type, default value: String
    ) -> JSONValue where Value.RawValue == String {
        ["enum": .array(Value.allCases.map { .string($0.rawValue) }), "default": .string(value)]
    }
}
