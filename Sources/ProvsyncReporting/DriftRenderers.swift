import Foundation
import ProvsyncModel

/// Drift reports as text, JSON, markdown and JUnit XML. Secrets are `(sensitive)` in every format.
package enum DriftRenderer {
    package static func text(_ report: DriftReport) -> String {
        var lines = ["provsync drift for \(PlanTextRenderer(colors: false).describe(report.source))", ""]
        for resource in report.resources {
            lines.append("  \(marker(resource.status)) \(resource.address)  (\(resource.status.rawValue))")
            if let health = resource.health {
                lines.append("        health: \(health)")
            }
            for difference in resource.differences {
                lines.append("        \(difference.path): live \(PlanTextRenderer.text(difference.live)), "
                             + "desired \(PlanTextRenderer.text(difference.desired))")
            }
        }
        if !report.unmanaged.isEmpty {
            lines += ["", "Unmanaged (live, no manifest):"] + report.unmanaged.map { "  \($0)" }
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
                    ["path": .string(difference.path), "live": difference.live.shown,
                     "desired": difference.desired.shown]
                }),
            ]
            if let health = resource.health { object["health"] = .string(health) }
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
            let paths = resource.differences.map { "`\($0.path)`" }.joined(separator: ", ")
            lines.append("| `\(resource.address)` | \(resource.status.rawValue) | \(paths.isEmpty ? (resource.health ?? "") : paths) |")
        }
        for resource in report.resources where resource.status != .inSync {
            lines += ["", "<details><summary><code>\(escapeHTML(resource.address.description))</code>: "
                      + "\(resource.status.rawValue)</summary>", "", "```diff"]
            if let health = resource.health { lines.append("! health: \(health)") }
            if resource.status == .missing { lines.append("+ not present live; apply would create it") }
            for difference in resource.differences {
                lines.append("- \(difference.path): \(PlanTextRenderer.text(difference.live))")
                lines.append("+ \(difference.path): \(PlanTextRenderer.text(difference.desired))")
            }
            lines += ["```", "", "</details>"]
        }
        if !report.unmanaged.isEmpty {
            lines += ["", "Unmanaged (live, no manifest): " + report.unmanaged.map { "`\($0)`" }.joined(separator: ", ")]
        }
        lines += ["", "<sub>Manifests at \(PlanTextRenderer(colors: false).describe(report.source)).</sub>"]
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
            let name = escapeXML(resource.address.description)
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
            let message = "\(resource.status.rawValue) (\(resource.manifest.file):\(resource.manifest.line))"
            lines.append(#"    <testcase classname="\#(kind)" name="\#(name)">"#)
            lines.append(#"      <failure type="\#(resource.status.rawValue)" message="\#(escapeXML(message))">"#
                         + escapeXML(detail.joined(separator: "\n")) + "</failure>")
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
        }
    }

    static func escapeXML(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\n", "\t", "\r": result.append(character)
            // XML 1.0 cannot hold other control characters, even escaped.
            case _ where character.unicodeScalars.allSatisfy({ $0.value < 0x20 }): result += "?"
            default: result.append(character)
            }
        }
        return result
    }

    static func escapeHTML(_ text: String) -> String { escapeXML(text) }
}
