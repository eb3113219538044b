import Foundation

import ProvsyncModel

/// The plan as a pull-request comment: a heading, the summary, a table of changes, the field differences
/// in collapsed `diff` blocks, a warning when anything is replaced or refused, and the commit. Never longer
/// than `limit` characters: past it, later changes are left out and counted. Strings from the API or the
/// repository are escaped for where they stand (`Escaping`): text, code spans, table cells, HTML, diff blocks.
package struct PlanMarkdownRenderer {
    package var limit: Int

    package init(limit: Int = 65_000) {
        self.limit = limit
    }

    package func render(_ plan: Plan) -> String {
        var head = ["## provsync plan", "", "**\(plan.summaryLine)**"]
        if let note = PlanTextRenderer.scopeNote(plan) {
            head += ["", "_\(Escaping.markdown(note))_"]
        }
        let replaced = plan.changes.filter { $0.action == .replace }
        let refused = plan.changes.filter { $0.refusal != nil }
        let deleted = plan.changes.filter { $0.action == .delete }
        if !replaced.isEmpty || !refused.isEmpty || !deleted.isEmpty || plan.refusal != nil {
            head += ["", "> [!WARNING]"]
            if let refusal = plan.refusal {
                head.append("> The plan is refused as a whole: " + Escaping.markdown(refusal))
            }
            if !deleted.isEmpty {
                head.append("> \(deleted.count) object\(deleted.count == 1 ? " is" : "s are") deleted: "
                            + deleted.map { Escaping.markdownCode($0.address.description) }.joined(separator: ", "))
            }
            if !replaced.isEmpty {
                head.append("> \(replaced.count) provider\(replaced.count == 1 ? " is" : "s are") replaced "
                            + "(uninstalled, then installed again): "
                            + replaced.map { Escaping.markdownCode($0.address.description) }.joined(separator: ", "))
            }
            for change in refused {
                head.append("> \(Escaping.markdownCode(change.address.description)) is refused: "
                            + Escaping.markdown(change.refusal ?? ""))
            }
        }
        let footer = ["", "<sub>Manifests at \(Escaping.markdown(PlanTextRenderer(colors: false).describe(plan.source))).</sub>"]
        var sections: [[String]] = []
        let hasBase = plan.changes.contains { $0.isPreExisting != nil }
        if hasBase {
            sections.append(section("Changes made by this pull request", plan.changes.filter { $0.isPreExisting == false }))
            sections.append(section("Pre-existing drift (planned from the base too)", plan.changes.filter { $0.isPreExisting == true }))
        } else if !plan.changes.isEmpty {
            sections.append(section(nil, plan.changes))
        }
        if !plan.unmanaged.isEmpty {
            sections.append(["", "Unmanaged (live, no manifest; never touched): "
                             + plan.unmanaged.map { Escaping.markdownCode($0.description) }.joined(separator: ", ")])
        }
        return fit(head: head, sections: sections, footer: footer, total: plan.changes.count)
    }

    private func section(_ title: String?, _ changes: [PlannedChange]) -> [String] {
        var lines: [String] = []
        if let title { lines += ["", "### \(title)"] }
        guard !changes.isEmpty else { return lines + ["", "None."] }
        lines += ["", "| | address | action | reason |", "|---|---|---|---|"]
        for change in changes {
            lines.append("| \(change.action.symbol) | \(Escaping.markdownCode(change.address.description, inTable: true)) | "
                         + "\(change.action.rawValue) | \(Escaping.markdown(change.reason))"
                         + "\(change.refusal == nil ? "" : " (refused)") |")
        }
        for change in changes where !change.differences.isEmpty {
            lines += ["", "<details><summary><code>\(Escaping.html(change.address.description))</code>: "
                      + "\(change.action.rawValue)</summary>", "", "```diff"]
            for difference in change.differences {
                let path = Escaping.text(difference.path)
                if case .absent = difference.before {} else {
                    lines.append("- \(path): \(PlanTextRenderer.text(difference.before))")
                }
                if case .absent = difference.after {} else {
                    lines.append("+ \(path): \(PlanTextRenderer.text(difference.after))"
                                 + (difference.setAt.map { "  (from \(Escaping.text($0.lineDescription)))" } ?? ""))
                }
            }
            lines += ["```", "", "</details>"]
        }
        return lines
    }

    /// Joins the parts, leaving out whole trailing lines of the change sections when over the limit.
    private func fit(head: [String], sections: [[String]], footer: [String], total: Int) -> String {
        let full = (head + sections.flatMap { $0 } + footer).joined(separator: "\n")
        guard full.count > limit else { return full }
        let note = { (left: Int) in ["", "_\(left) of \(total) changes are not shown: the plan is longer than a comment "
                                     + "may be. Run `provsync plan` for all of it._"] }
        var kept: [String] = []
        var budget = limit - (head + footer + note(total)).joined(separator: "\n").count - 200
        var shown = 0
        for line in sections.flatMap({ $0 }) {
            guard budget - line.count - 1 >= 0 else { break }
            budget -= line.count + 1
            kept.append(line)
            if line.hasPrefix("| ") && !line.hasPrefix("| |") { shown += 1 }
        }
        if kept.last?.hasPrefix("```") == false && kept.contains(where: { $0 == "```diff" }) {
            let opened = kept.count { $0 == "```diff" }, closed = kept.count { $0 == "```" }
            if opened > closed { kept += ["```", "", "</details>"] }
        }
        return (head + kept + note(total - shown) + footer).joined(separator: "\n")
    }
}
