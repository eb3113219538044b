import ArgumentParser

/// `--format` for plans.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

/// `--format` for drift reports.
enum DriftFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, junit
}
