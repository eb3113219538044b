import ProvsyncLive
import ProvsyncModel

/// Why a flow stopped, with the diagnostics to show. No flow writes anything before it could fail this way,
/// except `apply`, which reports what it did instead of failing.
package enum EngineError: Error, Sendable, CustomStringConvertible {
    /// The manifests could not be read, or are invalid: every diagnostic, and no API call was made.
    case manifests([Diagnostic], readable: Bool)
    /// `${env:…}` references to unset variables; no API call was made.
    case unresolvedValues([Diagnostic])
    /// No API to talk to: a missing or malformed URL, or the embedded sandbox could not start.
    case connection(String)
    /// Reading live state failed.
    case liveRead(APIError)
    /// Live objects that two manifests claim.
    case conflicts([Diagnostic])
    /// A saved plan file that cannot be opened.
    case unreadableSavedPlan(path: String)
    /// A file that is not a saved plan this provsync reads.
    case savedPlan(path: String, reason: String)
    /// A saved plan that no longer matches the manifests or live state; nothing was applied.
    case stalePlan(String)
    /// `--target` or `drift --ignore` patterns that match nothing: one error each.
    case unmatchedPatterns([Diagnostic])
    /// `plan --base REF` whose manifests cannot be read at that ref; no API call was made.
    case unreadableBase(ref: String, [Diagnostic])

    /// The located problems, printed before the summary.
    package var diagnostics: [Diagnostic] {
        switch self {
        case .manifests(let diagnostics, _), .unresolvedValues(let diagnostics), .conflicts(let diagnostics),
             .unreadableBase(_, let diagnostics), .unmatchedPatterns(let diagnostics):
            diagnostics
        case .connection, .liveRead, .unreadableSavedPlan, .savedPlan, .stalePlan:
            []
        }
    }

    /// The line printed after the diagnostics, saying what stopped and what was (not) done; nil when the
    /// diagnostics say it all (manifests that cannot be read at all: no repository, an unknown ref).
    package var summary: String? {
        switch self {
        case .manifests(_, let readable):
            readable ? "no API call was made: the manifests are invalid" : nil
        case .unresolvedValues:
            "no API call was made: set the environment variables above"
        case .connection(let message):
            "error: \(message)"
        case .liveRead(let error) where error.isDeniedVariablesRead:
            "error: reading variables needs an admin credential of the agent API: the manifests manage "
                + "`spec.variables`, and \(error) (the server treats a wrong or missing password, or a token it "
                + "does not know, as an anonymous caller, who may list providers but not read their variables); "
                + "nothing was planned"
        case .liveRead(let error):
            "error: reading live state: \(error)"
        case .conflicts:
            "nothing was planned: each live object may be managed by one manifest only"
        case .unreadableSavedPlan(let path):
            "error: cannot read the saved plan \(path)"
        case .savedPlan(let path, let reason):
            "error: \(path): \(reason)"
        case .unmatchedPatterns:
            "nothing was planned: check the patterns above against the addresses `provsync plan` lists"
        case .unreadableBase(let ref, _):
            "error: the manifests at --base \(ref) cannot be read, so the plan cannot tell this change's own changes "
                + "from pre-existing drift; nothing was planned (in a shallow clone, fetch the base first: "
                + "git fetch --depth=1 origin \(ref))"
        case .stalePlan(let reason):
            "error: saved plan is stale: \(reason); nothing was applied. Run `provsync plan --out` again."
        }
    }

    package var description: String {
        (diagnostics.map(\.description) + [summary].compactMap { $0 }).joined(separator: "\n")
    }
}
