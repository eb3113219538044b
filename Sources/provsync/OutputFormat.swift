import ArgumentParser

/// `--format` for plans.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

/// `--format` for drift reports.
enum DriftFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, junit
}

/// `--format` for validate and apply: text for people, one JSON document for scripts.
enum DocumentFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `--format text|json` of validate and apply.
struct DocumentFormatOption: ParsableArguments {
    @Option(help: "Output format: text, or one JSON document on standard output.")
    var format: DocumentFormat = .text
}
