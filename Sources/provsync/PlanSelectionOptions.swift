import ArgumentParser

/// Which changes a plan holds: `--target` and `--allow-replace`, shared by plan and apply.
struct PlanSelectionOptions: ParsableArguments {
    @Option(name: .customLong("target"), help: ArgumentHelp(
        "Limit to this address (repeatable; a trailing * matches any rest).", valueName: "address"))
    var targets: [String] = []

    @Flag(help: "Allow replacements (uninstall + install) even where the manifest's policy does not.")
    var allowReplace = false
}
