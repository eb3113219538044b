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
            ],
            "allOf": [
                specRule(for: .installation, definition: "installationSpec"),
                specRule(for: .agentProvider, definition: "agentProviderSpec"),
            ],
            "$defs": [
                "installationSpec": installationSpec,
                "agentProviderSpec": agentProviderSpec,
                "policy": policy,
                "environmentMap": [
                    "type": "object",
                    "description": "Names to string values; ${env:NAME} reads an environment variable at plan time.",
                    "propertyNames": ["pattern": .string(environmentNamePattern)],
                    "additionalProperties": ["type": "string"],
                ],
            ],
        ]
    }

    private static func specRule(for kind: ManifestKind, definition: String) -> JSONValue {
        [
            "if": ["properties": ["kind": ["const": .string(kind.rawValue)]], "required": ["kind"]],
            "then": ["properties": ["spec": ["$ref": .string("#/$defs/\(definition)")]]],
        ]
    }

    private static var installationSpec: JSONValue {
        [
            "type": "object",
            "required": ["provider_name"],
            "additionalProperties": false,
            "properties": [
                "provider_name": [
                    "type": "string", "description": "org/name; the installation's identity.",
                    "pattern": "^[^/\\s]+/[^/\\s]+$",
                    "maxLength": .integer(InstallationDecoder.maxProviderNameLength),
                ],
                "version": [
                    "type": "string", "pattern": .string(semanticVersionPattern),
                    "description": "A pinned semantic version; absent means latest at install, then not compared.",
                ],
                "resource_tier": enumeration(ResourceTier.self, default: ResourceTier.standard.rawValue),
                "upgrade_policy": enumeration(UpgradePolicy.self, default: UpgradePolicy.manual.rawValue),
                "config": ["$ref": "#/$defs/environmentMap"],
            ],
        ]
    }

    private static var agentProviderSpec: JSONValue {
        [
            "type": "object",
            "required": ["location"],
            "additionalProperties": false,
            "properties": [
                "location": [
                    "type": "string", "minLength": 1,
                    "description": "A container image reference, or an http(s) URL of a network agent.",
                ],
                "origin": [
                    "type": "string", "minLength": 1, "pattern": "^\\S+$",
                    "description": "The agent's identity; derived from location when absent.",
                ],
                "auto_stop_timeout_sec": [
                    "type": "integer",
                    "minimum": .integer(AgentProviderDecoder.autoStopRange.lowerBound),
                    "maximum": .integer(AgentProviderDecoder.autoStopRange.upperBound),
                ],
                "variables": ["$ref": "#/$defs/environmentMap"],
                "agent_card": ["type": "object", "description": "Absent means the server takes the card from the agent."],
            ],
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
            ],
        ]
    }

    private static func enumeration<Value: RawRepresentable & CaseIterable>(
        _ type: Value.Type, default value: String
    ) -> JSONValue where Value.RawValue == String {
        ["enum": .array(Value.allCases.map { .string($0.rawValue) }), "default": .string(value)]
    }
}
