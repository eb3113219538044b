import ArgumentParser
import ProvsyncEngine
import ProvsyncModel

/// Which changes a plan holds: `--target`, `--allow-replace`, `--max-deletes` and `--cascade`, shared by plan
/// and apply.
struct PlanSelectionOptions: ParsableArguments {
    @Option(name: .customLong("target"), help: ArgumentHelp(
        "Limit to this address (repeatable; a trailing * matches any rest).", valueName: "address"))
    var targets: [String] = []

    @Flag(help: "Allow replacements (uninstall + install) even where the manifest's policy does not.")
    var allowReplace = false

    @Option(help: ArgumentHelp("Allow this many deletes in the plan (overrides prune.max_deletes; default 5).",
                               valueName: "n"))
    var maxDeletes: Int?

    @Flag(help: "Installation deletes also remove the installation's active resources (cascade=true).")
    var cascade = false

    func validate() throws {
        if let maxDeletes, !PruneRules.maxDeletesRange.contains(maxDeletes) {
            throw ValidationError("--max-deletes must be between \(PruneRules.maxDeletesRange.lowerBound) and "
                                  + "\(PruneRules.maxDeletesRange.upperBound)")
        }
    }

    /// Whether any option here was given (a saved plan keeps the ones it was made with).
    var isSet: Bool { !targets.isEmpty || allowReplace || maxDeletes != nil || cascade }

    /// What a saved plan records of these options.
    var saved: SavedPlanOptions {
        SavedPlanOptions(targets: targets, allowReplace: allowReplace, maxDeletes: maxDeletes, cascade: cascade)
    }

    /// The plan options these select; `recordsDigests` and `base` as the command needs.
    func planOptions(recordsDigests: Bool = false, base: String? = nil) -> PlanOptions {
        PlanOptions(targets: targets, allowReplace: allowReplace, recordsDigests: recordsDigests, base: base,
                    maxDeletes: maxDeletes, cascade: cascade)
    }
}
