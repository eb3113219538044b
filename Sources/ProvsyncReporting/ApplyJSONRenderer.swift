import Foundation
import ProvsyncModel

/// What `apply --format json` prints: one document with the plan (as `plan --format json` writes it), each
/// change's outcome, counts of the outcomes, and with `--wait` what the wait found. Messages are the API's
/// own words; the encoder and `Escaping.jsonDocument` escape them as every JSON output is escaped.
package enum ApplyJSONRenderer {
    /// The `format_version` of the document.
    package static let formatVersion = "1"

    /// What `apply --wait` found, by provider name (`org/name`); the document lists each part in address order.
    package struct Wait: Sendable {
        package var ready: [String]
        package var failed: [(name: String, message: String)]
        package var unsettled: [String]

        package init(ready: [String], failed: [(name: String, message: String)], unsettled: [String]) {
            self.ready = ready
            self.failed = failed
            self.unsettled = unsettled
        }
    }

    /// The document of an apply (or with `dryRun` a dry run) of `plan` that ended with `report`.
    package static func render(plan: Plan, report: ApplyReport, dryRun: Bool, wait: Wait? = nil) throws -> String {
        let planObject = try JSONDecoder().decode(JSONValue.self, from: Data(PlanJSONRenderer.render(plan).utf8))
        var document: [String: JSONValue] = [
            "format_version": .string(formatVersion),
            "dry_run": .bool(dryRun),
            "plan": planObject,
            "results": .array(report.results.map { result in
                [
                    "address": .string(result.address.description),
                    "action": .string(result.action.rawValue),
                    "outcome": .string(name(of: result.outcome)),
                    "message": .string(result.outcome.message),
                ]
            }),
            "summary": .object(Dictionary(uniqueKeysWithValues: outcomeNames.map { outcome in
                (outcome, .integer(report.results.count { name(of: $0.outcome) == outcome }))
            })),
        ]
        if let wait {
            document["wait"] = [
                "success": .bool(wait.failed.isEmpty && wait.unsettled.isEmpty),
                "ready": .array(wait.ready.sorted().map { .string(installation($0)) }),
                "failed": .array(wait.failed.sorted { $0.name < $1.name }.map {
                    ["address": .string(installation($0.name)), "message": .string($0.message)]
                }),
                "unsettled": .array(wait.unsettled.sorted().map { .string(installation($0)) }),
            ]
        }
        return try PlanJSONRenderer.encode(.object(document))
    }

    /// Every `outcome` the document uses; `summary` counts each of them.
    package static let outcomeNames = ["applied", "failed", "not_attempted", "would_apply", "would_fail"]

    /// `applied`, `failed`, `not_attempted`, `would_apply` or `would_fail`.
    package static func name(of outcome: ApplyOutcome) -> String {
        switch outcome {
        case .applied: "applied"
        case .failed: "failed"
        case .notAttempted: "not_attempted"
        case .wouldApply: "would_apply"
        case .wouldFail: "would_fail"
        }
    }

    private static func installation(_ name: String) -> String {
        ResourceAddress.installation(providerName: name).description
    }
}
