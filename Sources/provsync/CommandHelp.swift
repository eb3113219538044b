/// The environment variables commands read, for the `discussion` of their `--help`.
enum EnvironmentHelp {
    static let credentials = """
        Credentials, never printed: the store API takes PROVSYNC_STORE_TOKEN; the agent API \
        PROVSYNC_AGENTS_TOKEN, else PROVSYNC_AGENTS_USERNAME and PROVSYNC_AGENTS_PASSWORD; an API without its own \
        takes PROVSYNC_TOKEN (bearer), else PROVSYNC_USERNAME and PROVSYNC_PASSWORD (basic). An environment's \
        credentials: in provsync.yaml names its own variables instead.
        """
    static let planKey = """
        PROVSYNC_PLAN_KEY: seals saved plans (plan --out, apply PLANFILE, show); without it the credentials do.
        """
    static let manifests = "NAME, for each ${env:NAME} in a manifest."
    static let noColor = "NO_COLOR: no colour in text output (drawn only on a terminal anyway)."
    static let ci = """
        CI (set, and not false or 0): progress on standard error (waits, retries) is plain lines, not a live line.
        """
    static let confirmation = """
        Apply asks on a terminal only, whatever CI says: without one it needs --auto-approve.
        """
    static let annotations = "GITHUB_ACTIONS=true: manifest errors are also ::error annotations."
    static let stepSummary = "GITHUB_STEP_SUMMARY: the markdown report is appended to this file (the job summary)."

    /// `Environment:` and each entry indented below it, wrapped to 78 columns (help is 80 wide off a
    /// terminal) with its continuation lines indented further.
    static func discussion(_ entries: String...) -> String {
        var lines = ["Environment:"]
        for entry in entries {
            var line = "  "
            for word in entry.split(separator: " ") {
                if line.count + word.count + 1 > 78 && !line.allSatisfy(\.isWhitespace) {
                    lines.append(line)
                    line = "    "
                }
                line += (line.last == " " ? "" : " ") + word
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

/// The titles `--help` groups options under (`SOURCE OPTIONS:`, …).
enum OptionTitles {
    static let source = "Source options"
    static let api = "API options"
    static let changes = "Change options"
    static let apply = "Apply options"
    static let output = "Output options"
    static let report = "Report options"
}
