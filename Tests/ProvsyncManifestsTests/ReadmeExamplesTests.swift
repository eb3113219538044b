import Foundation
import Testing
@testable import ProvsyncManifests
import ProvsyncModel

/// One fenced ```` ```yaml ```` block of README.md, with the README line its first YAML line is on.
struct ReadmeYAMLBlock: Sendable, CustomTestStringConvertible {
    var line: Int
    var text: String

    var testDescription: String { "README.md:\(line)" }

    /// The rule for which blocks are checked: a block with an `apiVersion: provsync/v1` line is a whole manifest
    /// file and must decode without a diagnostic; any other block (`provsync.yaml`, a fragment) is skipped.
    var isManifestFile: Bool {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .contains { $0.trimmingCharacters(in: .whitespaces) == "apiVersion: provsync/v1" }
    }

    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// Every ```` ```yaml ```` block of README.md; empty when it cannot be read (the count test fails then).
    static var all: [ReadmeYAMLBlock] {
        guard let data = FileManager.default.contents(atPath: readme.path) else { return [] }
        var blocks: [ReadmeYAMLBlock] = []
        var open: (line: Int, lines: [Substring])?
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated() {
            let fence = line.trimmingCharacters(in: .whitespaces)
            if let current = open {
                if fence == "```" {
                    blocks.append(ReadmeYAMLBlock(line: current.line, text: current.lines.joined(separator: "\n") + "\n"))
                    open = nil
                } else {
                    open?.lines.append(line)
                }
            } else if fence == "```yaml" {
                open = (index + 2, [])
            }
        }
        return blocks
    }

    static var manifestFiles: [ReadmeYAMLBlock] { all.filter(\.isManifestFile) }
}

/// The README's manifest examples decode as the README says, so the docs cannot drift from the loader.
@Suite("README manifest examples")
struct ReadmeExamplesTests {
    @Test("the README has manifest examples, one with a bracketed policy path")
    func examplesFound() {
        let examples = ReadmeYAMLBlock.manifestFiles
        #expect(examples.count >= 1, "no ```yaml block with apiVersion: provsync/v1 in \(ReadmeYAMLBlock.readme.path)")
        let policies = examples.flatMap { decoded($0).manifests.map(\.policy) }
        #expect(policies.contains { $0.ignore.contains("agent_card.skills[0].tags") },
                "the README shows how to write a policy path with [0]")
    }

    @Test("each README manifest example decodes without a diagnostic", arguments: ReadmeYAMLBlock.manifestFiles)
    func decodes(block: ReadmeYAMLBlock) {
        let result = decoded(block)
        #expect(result.diagnostics == [])
        #expect(!result.manifests.isEmpty)
    }

    @Test("each policy path of a README example is the path as written there", arguments: ReadmeYAMLBlock.manifestFiles)
    func policyPaths(block: ReadmeYAMLBlock) {
        for manifest in decoded(block).manifests {
            for path in manifest.policy.ignore + manifest.policy.sensitive {
                #expect(block.text.contains(path), "\(manifest.address): \(path) is not written in the example")
            }
        }
    }

    @Test("unquoted in a flow list, a path with [0] is a YAML error; quoted or in a block list it is the path")
    func bracketQuoting() {
        let manifest = """
            apiVersion: provsync/v1
            kind: AgentProvider
            spec:
              location: ghcr.io/acme/a:1.0.0
              agent_card: {name: A, description: A., url: http://localhost:8000/, version: "1.0", capabilities: {},
                defaultInputModes: [text/plain], defaultOutputModes: [text/plain],
                skills: [{id: s, name: S, description: S., tags: [t]}]}
            policy:

            """
        let unquoted = decoded(ReadmeYAMLBlock(line: 1, text: manifest + "  ignore: [agent_card.skills[0].tags]\n"))
        #expect(!unquoted.diagnostics.isEmpty)
        for policy in ["  ignore: [\"agent_card.skills[0].tags\"]\n", "  ignore:\n    - agent_card.skills[0].tags\n"] {
            let result = decoded(ReadmeYAMLBlock(line: 1, text: manifest + policy))
            #expect(result.diagnostics == [])
            #expect(result.manifests.map(\.policy.ignore) == [["agent_card.skills[0].tags"]])
        }
    }

    /// Decoded as README.md, the block on its own lines there, so a diagnostic names the README's line.
    private func decoded(_ block: ReadmeYAMLBlock) -> (manifests: [Manifest], diagnostics: [String]) {
        let text = String(repeating: "\n", count: block.line - 1) + block.text
        let result = ManifestDecoder.decode(file: "README.md", bytes: Array(text.utf8))
        let diagnostics = result.diagnostics + ManifestLoader.duplicateIdentities(in: result.identities)
        return (result.manifests, Diagnostic.sortedByLocation(diagnostics).map(\.description))
    }
}
