import ArgumentParser

/// How apply carries a plan out: confirmation, dry run, waiting, exit codes.
struct ApplyOptions: ParsableArguments {
    @Flag(help: "Do not ask for confirmation on a terminal.")
    var autoApprove = false

    @Flag(help: "Do everything but the writes; agent provider changes are checked by the API's preview endpoint.")
    var dryRun = false

    @Flag(help: "Wait for installations to become ready (or report those that fail).")
    var wait = false

    @Option(help: ArgumentHelp("How long --wait waits: seconds, or a duration such as 90s, 15m or 1h30m.",
                               valueName: "duration"))
    var waitTimeout = WaitDuration(seconds: 600)

    @Flag(help: "Exit 2 when changes were applied, 0 when there were none, 1 on failure.")
    var detailedExitcode = false

    func validate() throws {
        if waitTimeout.seconds <= 0 { throw ValidationError("--wait-timeout must be positive") }
    }
}
