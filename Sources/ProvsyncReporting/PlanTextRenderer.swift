import Foundation
import ProvsyncModel

/// The plan for people: one line per change with `+`, `~`, `-/+` or `-`, its field differences indented
/// below, the unmanaged objects, and the summary line last. Colour only when asked (a TTY without NO_COLOR).
/// Every string from the API or the repository is written with `Escaping.text`.
package struct PlanTextRenderer {
    package var colors: Bool

    package init(colors: Bool) {
        self.colors = colors
    }

    package func render(_ plan: Plan) -> String {
        var lines = ["provsync plan for \(describe(plan.source))", ""]
        if plan.changes.isEmpty {
            lines.append("  Live state matches the manifests.")
        }
        let groups: [(title: String?, changes: [PlannedChange])] = plan.changes.contains { $0.isPreExisting != nil }
            ? [("Changes made by this change:", plan.changes.filter { $0.isPreExisting != true }),
               ("Pre-existing drift (planned from the base too):", plan.changes.filter { $0.isPreExisting == true })]
            : [(nil, plan.changes)]
        for group in groups {
            if let title = group.title {
                lines += [title] + (group.changes.isEmpty ? ["  (none)"] : [])
            }
            lines += group.changes.flatMap(render)
        }
        if !plan.unmanaged.isEmpty {
            lines += ["", "Unmanaged (live, no manifest; never touched):"]
            lines += plan.unmanaged.map { "  \(Escaping.text($0.description))" }
        }
        let refused = plan.changes.count { $0.refusal != nil }
        lines += ["", plan.summaryLine]
        if refused > 0 {
            lines.append(paint("\(refused) of these \(refused == 1 ? "is" : "are") refused; apply will stop before any write "
                               + "until \(refused == 1 ? "it is" : "they are") allowed.", color: "31"))
        }
        if let refusal = plan.refusal {
            lines.append(paint("Refused as a whole: \(Escaping.text(refusal)).", color: "31"))
        }
        if let note = Self.scopeNote(plan) {
            lines.append(note)
        }
        return lines.joined(separator: "\n")
    }

    /// One change: its marker line, then its field differences and refusal, indented.
    private func render(_ change: PlannedChange) -> [String] {
        let marker = paint(change.action.symbol.padding(toLength: 3, withPad: " ", startingAt: 0), for: change.action)
        var lines = ["  \(marker) \(Escaping.text(change.address.description))  "
                     + "(\(change.action.rawValue): \(Escaping.text(change.reason)))"]
        let creates = change.action == .install || change.action == .create
        let paths = change.differences.map { Escaping.text($0.path) }
        let width = paths.map(\.count).max() ?? 0
        for (difference, path) in zip(change.differences, paths) {
            let label = (path + ":").padding(toLength: width + 1, withPad: " ", startingAt: 0)
            let shown = creates ? Self.text(difference.after)
                : "\(Self.text(difference.before)) → \(Self.text(difference.after))"
            let setAt = difference.setAt.map { "  (from \(Escaping.text($0.lineDescription)))" } ?? ""
            lines.append("        \(label) \(shown)\(setAt)")
        }
        if !change.layers.isEmpty {
            lines.append("        layers: " + change.layers.map { Escaping.text($0.lineDescription) }.joined(separator: ", "))
        }
        if let refusal = change.refusal {
            lines.append("        " + paint("! refused: \(Escaping.text(refusal))", color: "31"))
        }
        return lines
    }

    /// What a `--changed-only` plan says of the objects it left out; nil for a plan of everything.
    static func scopeNote(_ plan: Plan) -> String? {
        guard let scope = plan.scope else { return nil }
        return "Changed only: \(scope.count) object\(scope.count == 1 ? "" : "s") whose manifests this change touches "
            + "were planned; objects outside the change were not read in detail, and drift there is not shown "
            + "(provsync drift covers every object)."
    }

    /// `/repo at main (3f2a1c9)` or `/repo, working tree`, escaped as text.
    func describe(_ source: ManifestSource) -> String {
        Escaping.text((source.isWorkingTree
            ? "\(source.repository), working tree"
            : "\(source.repository) at \(source.ref) (\(source.shortCommit ?? "no commit"))")
            + (source.environment.map { ", environment \($0)" } ?? ""))
    }

    /// A value as shown in text: JSON for values (escaped as text), `(none)` when absent, `(sensitive)` for secrets.
    static func text(_ value: PlanValue) -> String {
        switch value {
        case .absent: "(none)"
        case .value(let json): Escaping.text(json.canonicalText)
        case .sensitive: PlanValue.redacted
        }
    }

    private func paint(_ text: String, for action: PlanAction) -> String {
        switch action {
        case .install, .create: paint(text, color: "32")
        case .upgrade, .downgrade, .update: paint(text, color: "33")
        case .replace, .delete: paint(text, color: "31")
        }
    }

    private func paint(_ text: String, color: String) -> String {
        colors ? "\u{1B}[\(color)m\(text)\u{1B}[0m" : text
    }
}
