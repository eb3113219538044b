import ArgumentParser

/// `--format` for plans.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
