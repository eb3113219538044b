import ProvsyncModel

/// The end-of-apply report: counts, then what failed and what was not attempted, with the API's messages
/// (escaped as text).
package enum ApplyReportRenderer {
    /// One line per finished change: `✓ installation/acme/pg: install: 1.4.2, pending`.
    package static func line(for result: ApplyResult) -> String {
        let address = Escaping.text(result.address.description), action = result.action.rawValue
        let message = Escaping.text(result.outcome.message)
        return switch result.outcome {
        case .applied: "✓ \(address): \(action): \(message)"
        case .failed: "✗ \(address): \(action) failed: \(message)"
        case .notAttempted: "- \(address): \(action) not attempted: \(message)"
        case .wouldApply: "~ \(address): would \(action): \(message)"
        case .wouldFail: "✗ \(address): \(action) would fail: \(message)"
        }
    }

    package static func render(_ report: ApplyReport, dryRun: Bool) -> String {
        let failed = report.failures.count, skipped = report.notAttempted.count
        var lines: [String] = []
        if dryRun {
            lines += report.results.map(line(for:))
            lines.append("Dry run: \(report.results.count) change\(report.results.count == 1 ? "" : "s") checked, "
                         + "\(failed) would fail, \(skipped) not checked; nothing was written.")
        } else {
            lines.append("Apply \(failed + skipped == 0 ? "complete" : "incomplete"): \(report.applied.count) applied, "
                         + "\(failed) failed, \(skipped) not attempted.")
        }
        if failed > 0 {
            lines.append(dryRun ? "Would fail:" : "Failed:")
            lines += report.failures.map { "  " + line(for: $0) }
        }
        if skipped > 0 {
            lines.append(dryRun ? "Not checked:" : "Not attempted:")
            lines += report.notAttempted.map { "  " + line(for: $0) }
        }
        return lines.joined(separator: "\n")
    }
}
