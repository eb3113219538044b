import Foundation
import ProvsyncModel

/// Drift reports as text, JSON, markdown and JUnit XML. Secrets are `(sensitive)` in every format (JSON also
/// marks such a difference `"sensitive": true`); strings from the API or the repository are escaped for each
/// (`Escaping`).
package enum DriftRenderer {
    package static func text(_ report: DriftReport) -> String {
        var lines = ["provsync drift for \(PlanTextRenderer(colors: false).describe(report.source))", ""]
        for resource in report.resources {
            lines.append("  \(marker(resource.status)) \(Escaping.text(resource.address.description))  "
                         + "(\(resource.status.rawValue))")
            if let health = resource.health {
                lines.append("        health: \(Escaping.text(health))")
            }
            if let reason = resource.reason {
                lines.append("        apply would delete it: \(Escaping.text(reason))")
            }
            for difference in resource.differences {
                lines.append("        \(Escaping.text(difference.path)): live \(PlanTextRenderer.text(difference.live)), "
                             + "desired \(PlanTextRenderer.text(difference.desired))")
            }
        }
        if !report.unmanaged.isEmpty {
            lines += ["", "Unmanaged (live, no manifest):"] + report.unmanaged.map { "  \(Escaping.text($0.description))" }
        }
        lines += ["", report.summaryLine]
        return lines.joined(separator: "\n")
    }

    package static func json(_ report: DriftReport) throws -> String {
        var summary: [String: JSONValue] = ["managed": .integer(report.resources.count),
                                            "unmanaged": .integer(report.unmanaged.count)]
        for status in DriftStatus.allCases {
            summary[status.rawValue] = .integer(report.count(status))
        }
        let resources: [JSONValue] = report.resources.map { resource in
            var object: [String: JSONValue] = [
                "address": .string(resource.address.description),
                "kind": .string(resource.address.kind.rawValue),
                "status": .string(resource.status.rawValue),
                "manifest": ["file": .string(resource.manifest.file), "line": .integer(resource.manifest.line)],
                "differences": .array(resource.differences.map { difference in
                    var entry: [String: JSONValue] = ["path": .string(difference.path), "live": difference.live.shown,
                                                      "desired": difference.desired.shown]
                    if difference.isRedacted { entry["sensitive"] = .bool(true) }
                    return .object(entry)
                }),
            ]
            if let health = resource.health { object["health"] = .string(health) }
            if let reason = resource.reason { object["reason"] = .string(reason) }
            return .object(object)
        }
        return try PlanJSONRenderer.encode([
            "format_version": .string(Plan.formatVersion),
            "source": PlanJSONRenderer.source(report.source),
            "in_sync": .bool(report.inSync),
            "summary": .object(summary),
            "resources": .array(resources),
            "unmanaged": .array(report.unmanaged.map { ["address": .string($0.description)] }),
        ])
    }

    /// A summary table, then a collapsed section per object that is not in sync.
    package static func markdown(_ report: DriftReport) -> String {
        var lines = ["## provsync drift", "", "**\(report.summaryLine)**", "",
                     "| address | status | differences |", "|---|---|---|"]
        for resource in report.resources {
            let paths = resource.differences.map { Escaping.markdownCode($0.path, inTable: true) }.joined(separator: ", ")
            let detail = paths.isEmpty ? Escaping.markdown(resource.health ?? resource.reason ?? "") : paths
            lines.append("| \(Escaping.markdownCode(resource.address.description, inTable: true)) | "
                         + "\(resource.status.rawValue) | \(detail) |")
        }
        for resource in report.resources where resource.status != .inSync {
            lines += ["", "<details><summary><code>\(Escaping.html(resource.address.description))</code>: "
                      + "\(resource.status.rawValue)</summary>", "", "```diff"]
            if let health = resource.health { lines.append("! health: \(Escaping.text(health))") }
            if resource.status == .missing { lines.append("+ not present live; apply would create it") }
            if let reason = resource.reason { lines.append("- present live; apply would delete it: \(Escaping.text(reason))") }
            for difference in resource.differences {
                let path = Escaping.text(difference.path)
                lines.append("- \(path): \(PlanTextRenderer.text(difference.live))")
                lines.append("+ \(path): \(PlanTextRenderer.text(difference.desired))")
            }
            lines += ["```", "", "</details>"]
        }
        if !report.unmanaged.isEmpty {
            lines += ["", "Unmanaged (live, no manifest): "
                      + report.unmanaged.map { Escaping.markdownCode($0.description) }.joined(separator: ", ")]
        }
        lines += ["", "<sub>Manifests at \(Escaping.markdown(PlanTextRenderer(colors: false).describe(report.source))).</sub>"]
        return lines.joined(separator: "\n")
    }

    /// One test case per managed object, failing when it is drifted, missing or unhealthy.
    package static func junit(_ report: DriftReport) -> String {
        let failures = report.resources.count { $0.status != .inSync }
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuites name="provsync drift" tests="\#(report.resources.count)" failures="\#(failures)">"#,
            #"  <testsuite name="provsync drift" tests="\#(report.resources.count)" failures="\#(failures)" errors="0" skipped="0">"#,
        ]
        for resource in report.resources {
            let name = Escaping.html(resource.address.description)
            let kind = resource.address.kind.addressPrefix
            guard resource.status != .inSync else {
                lines.append(#"    <testcase classname="\#(kind)" name="\#(name)"/>"#)
                continue
            }
            var detail = resource.differences.map {
                "\($0.path): live \(PlanTextRenderer.text($0.live)), desired \(PlanTextRenderer.text($0.desired))"
            }
            if let health = resource.health { detail.insert("health: \(health)", at: 0) }
            if resource.status == .missing { detail.append("not present live") }
            if let reason = resource.reason { detail.append("present live; apply would delete it: \(reason)") }
            let message = "\(resource.status.rawValue) (\(resource.manifest.file):\(resource.manifest.line))"
            lines.append(#"    <testcase classname="\#(kind)" name="\#(name)">"#)
            lines.append(#"      <failure type="\#(resource.status.rawValue)" message="\#(Escaping.html(message))">"#
                         + detail.map(Escaping.html).joined(separator: "\n") + "</failure>")
            lines.append("    </testcase>")
        }
        lines += ["  </testsuite>", "</testsuites>"]
        return lines.joined(separator: "\n")
    }

    private static func marker(_ status: DriftStatus) -> String {
        switch status {
        case .inSync: "✓"
        case .drifted: "~"
        case .missing: "-"
        case .unhealthy: "!"
        case .extra: "+"
        }
    }
}
