import ArgumentParser

/// `--format` for plans.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `--format` for drift reports.
enum DriftFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, junit
}
