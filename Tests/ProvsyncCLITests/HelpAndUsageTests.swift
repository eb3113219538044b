import Foundation
import Testing
import ProvsyncTestSupport

/// `provsync` run where no repository is: usage errors and help need none.
private func provsync(_ arguments: [String]) async throws -> ProcessOutput {
    try await ProvsyncBinary.run(arguments, in: FileManager.default.temporaryDirectory)
}

/// The sections of a help screen: each `TITLE:` line and the lines below it up to the next title.
private func sections(_ help: String) -> [String: String] {
    var sections: [String: String] = [:]
    var title = ""
    for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasSuffix(":"), !line.hasPrefix(" "), line.dropLast().allSatisfy({ $0.isUppercase || $0 == " " }) {
            title = String(line.dropLast())
        } else {
            sections[title, default: ""] += line + "\n"
        }
    }
    return sections
}

@Suite("help and usage errors")
struct HelpAndUsageTests {
    @Test("usage errors exit 1 (not 64) with the error and the usage on stderr, nothing on stdout")
    func usageErrorsExitOne() async throws {
        let cases: [[String]] = [
            ["plan", "--nope"], ["plan", "--format", "yaml"], ["plan", "--parallelism", "0"], ["show"],
            ["frobnicate"], ["apply", "--wait-timeout", "soon"], ["validate", "--format", "markdown"],
            ["plan", "--worktree", "--ref", "main"], ["drift", "--ignore", "no-colon"],
        ]
        for arguments in cases {
            let output = try await provsync(arguments)
            #expect(output.status == 1, "\(arguments): \(output.status) \(output.stderr)")
            #expect(output.stdout.isEmpty, "\(arguments)")
            #expect(output.stderr.hasPrefix("Error: "), "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains("--help"), "the usage hint: \(arguments): \(output.stderr)")
        }
    }

    @Test("--help, help COMMAND and --version exit 0 on stdout")
    func helpAndVersionExitZero() async throws {
        for arguments in [["--help"], ["plan", "--help"], ["help", "apply"], ["show", "-h"], ["--version"]] {
            let output = try await provsync(arguments)
            #expect(output.status == 0, "\(arguments): \(output.stderr)")
            #expect(!output.stdout.isEmpty && output.stderr.isEmpty, "\(arguments)")
        }
        #expect(try await provsync(["--help"]).stdout.contains("show"), "show is a subcommand")
    }

    @Test("--help of plan, apply and drift groups options under titles and names the environment variables")
    func groupedHelp() async throws {
        let outputGroups = ["plan": ("OUTPUT OPTIONS", ["--format", "--out", "--detailed-exitcode"]),
                            "apply": ("APPLY OPTIONS", ["--auto-approve", "--dry-run", "--wait", "--wait-timeout",
                                                        "--detailed-exitcode"]),
                            "drift": ("REPORT OPTIONS", ["--ignore", "--format", "--out"])]
        for (command, (outputTitle, outputOptions)) in outputGroups {
            let help = try await provsync([command, "--help"])
            #expect(help.status == 0)
            let parts = sections(help.stdout)
            for option in ["--repo", "--ref", "--worktree", "--path"] {
                #expect(parts["SOURCE OPTIONS"]?.contains(option) == true, "\(command) \(option)")
            }
            for option in ["--api-url", "--store-url", "--agents-url", "--sandbox", "--parallelism"] {
                #expect(parts["API OPTIONS"]?.contains(option) == true, "\(command) \(option)")
            }
            for option in outputOptions {
                #expect(parts[outputTitle]?.contains(option) == true, "\(command) \(option)")
            }
            #expect(parts["OPTIONS"]?.contains("--repo") == false && parts["OPTIONS"]?.contains("--format") == false,
                    "\(command): nothing but help and version stays ungrouped: \(parts["OPTIONS"] ?? "")")
            for variable in ["PROVSYNC_TOKEN", "PROVSYNC_USERNAME", "PROVSYNC_PASSWORD", "CI ", "GITHUB_ACTIONS"] {
                #expect(help.stdout.contains(variable), "\(command) names \(variable)")
            }
            #expect(help.stdout.contains("PROVSYNC_PLAN_KEY") == (command != "drift"), "\(command)")
            #expect(help.stdout.contains("NO_COLOR") == (command != "drift"), "drift draws no colour: \(command)")
        }
        let plan = sections(try await provsync(["plan", "--help"]).stdout)
        for option in ["--target", "--allow-replace", "--base"] {
            #expect(plan["CHANGE OPTIONS"]?.contains(option) == true, "\(option)")
        }
        #expect(sections(try await provsync(["apply", "--help"]).stdout)["OUTPUT OPTIONS"]?.contains("--format") == true)
    }

    @Test("--help of validate and show: their options, and what show does without the plan's key")
    func validateAndShowHelp() async throws {
        let validate = sections(try await provsync(["validate", "--help"]).stdout)
        #expect(validate["SOURCE OPTIONS"]?.contains("--repo") == true)
        #expect(validate["OUTPUT OPTIONS"]?.contains("--format") == true)
        let show = try await provsync(["show", "--help"])
        #expect(show.stdout.contains("<planfile>"))
        #expect(show.stdout.contains("PROVSYNC_PLAN_KEY"))
        #expect(show.stdout.contains("Without that key the plan is still shown, with a warning"))
    }
}
