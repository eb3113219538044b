import Foundation
import Testing
@testable import ProvsyncManifests
import ProvsyncModel
import ProvsyncTestSupport

/// A run of the fuzzer: which mutants to make. The defaults are the CI run; the environment can ask for more:
/// `PROVSYNC_FUZZ_SEED` (decimal or 0x hex), `PROVSYNC_FUZZ_ITERATIONS`, `PROVSYNC_FUZZ_FIRST` (the first
/// mutant's index, to replay one) and `PROVSYNC_FUZZ_TRACE=1` (print each index before decoding it, to find
/// a mutant that crashes or hangs).
struct FuzzRun {
    static let defaultSeed: UInt64 = 0x5EED_2026_1124
    static let defaultIterations = 4000

    var seed: UInt64
    var first: Int
    var iterations: Int
    var trace: Bool

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        seed = environment["PROVSYNC_FUZZ_SEED"].flatMap(Self.parseSeed) ?? Self.defaultSeed
        first = environment["PROVSYNC_FUZZ_FIRST"].flatMap { Int($0) } ?? 0
        iterations = environment["PROVSYNC_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? Self.defaultIterations
        trace = environment["PROVSYNC_FUZZ_TRACE"] == "1"
    }

    var isDefault: Bool { seed == Self.defaultSeed && first == 0 && iterations == Self.defaultIterations }

    /// How to replay mutant `index` alone.
    func replay(_ index: Int) -> String {
        "PROVSYNC_FUZZ_SEED=0x\(String(seed, radix: 16)) PROVSYNC_FUZZ_FIRST=\(index) PROVSYNC_FUZZ_ITERATIONS=1"
    }

    private static func parseSeed(_ text: String) -> UInt64? {
        text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    }
}

/// The inputs mutants are made from: every file of the invalid corpus and a few valid manifests.
enum FuzzInputs {
    static let valid: [String] = [
        """
        # comment
        apiVersion: provsync/v1
        kind: Installation
        spec:
          provider_name: acme/postgres
          version: "1.4.2"
          resource_tier: performance
          upgrade_policy: manual
          config:
            LOG_LEVEL: info
            DB_PASSWORD: ${env:DB_PASSWORD}
            LITERAL: "$${not a reference}"
        policy:
          ignore: [config.LOG_LEVEL]
          sensitive: [config.DB_PASSWORD]
          allow_replace: false

        """,
        """
        apiVersion: provsync/v1
        kind: AgentProvider
        spec:
          location: ghcr.io/acme/triage-agent:0.9.3
          origin: ghcr.io/acme/triage-agent
          auto_stop_timeout_sec: 900
          variables:
            OPENAI_API_KEY: ${env:OPENAI_API_KEY}
          agent_card:
            name: Triage
            description: Sorts tickets.
            url: http://localhost:8000/
            version: "0.9.3"
            capabilities:
              streaming: true
              extensions: [{uri: "https://a2a.example/ext", params: {score: 1.5e3, on: [1, null]}}]
            defaultInputModes: [text/plain]
            defaultOutputModes: [text/plain]
            skills:
              - id: triage
                name: Triage
                description: Names the team.
                tags: [support, routing]
                security: [{oauth: [read]}]
        policy:
          ignore: [agent_card.skills[0].tags]

        """,
        """
        ---
        apiVersion: provsync/v1
        kind: Installation
        spec: &spec
          provider_name: acme/redis
          config: {A: "1", B: 'two'}
        ---
        apiVersion: provsync/v1
        kind: AgentProvider
        spec: {location: "https://agent.example.com/a", variables: {}}
        ...

        """,
        "api:\n  store_url: http://localhost:8080\n  agents_url: https://agents.example.com\npaths: [manifests, more/]\nparallelism: 4\n",
        "apiVersion: provsync/v1\r\nkind: Installation\r\nspec:\r\n  provider_name: acme/crlf\r\n  config:\r\n    NOTE: |\r\n      text\r\n",
    ]

    /// The corpus files followed by the valid manifests, as bytes.
    static func all() throws -> [(name: String, bytes: [UInt8])] {
        let directory = try InvalidCorpus.directory
        var inputs = try InvalidCorpus.fileNames.map { name in
            (name, [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))))
        }
        inputs += valid.enumerated().map { ("valid-\($0.offset)", Array($0.element.utf8)) }
        return inputs
    }
}

@Suite("Manifest fuzzing")
struct ManifestFuzzTests {
    /// Limits small enough that mutants often reach them.
    static let tightLimits = YAMLLimits(maxFileBytes: 4096, maxDepth: 4, maxAliasExpansion: 20, maxAliasTextBytes: 64)

    @Test("random mutants of the corpus decode to manifests or placed one-line diagnostics, never a crash")
    func mutants() async throws {
        try await awayFromCooperativePool {
            let run = FuzzRun()
            let inputs = try FuzzInputs.all()
            try #require(inputs.count > 30)
            let mutator = YAMLMutator(donors: inputs.map(\.bytes))
            if !run.isDefault {
                print("fuzzing \(run.iterations) mutants from seed 0x\(String(run.seed, radix: 16)), first \(run.first)")
            }
            var failures = 0
            for index in run.first..<(run.first + run.iterations) {
                var rng = SplitMix64(seed: run.seed, index: index)
                let input = rng.pick(inputs)
                let (bytes, edits) = mutator.mutate(input.bytes, using: &rng)
                let limits = rng.oneIn(8) ? Self.tightLimits : .standard
                if run.trace {
                    FileHandle.standardError.write(Data("mutant \(index)\n".utf8))
                }
                let violations = DecodingProperty.violations(of: bytes, limits: limits)
                guard !violations.isEmpty else { continue }
                failures += 1
                if failures <= 5 {
                    Issue.record("""
                        mutant \(index) of \(input.name) (replay: \(run.replay(index))), edits \(edits):
                        \(violations.prefix(3).joined(separator: "\n"))
                        first bytes: \(Self.escaped(bytes.prefix(400)))
                        """)
                }
            }
            #expect(failures == 0, "\(failures) of \(run.iterations) mutants from seed 0x\(String(run.seed, radix: 16)) failed")
        }
    }

    /// Printable ASCII as is, other bytes as `\xNN`, so a mutant can be read and rebuilt from a failure message.
    static func escaped(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map { byte in
            (0x20..<0x7F).contains(byte) && byte != UInt8(ascii: "\\")
                ? String(UnicodeScalar(byte)) : String(format: "\\x%02X", byte)
        }.joined()
    }

    @Test("a mutant depends only on the seed and its index")
    func repeatable() throws {
        let inputs = try FuzzInputs.all()
        let mutator = YAMLMutator(donors: inputs.map(\.bytes))
        for index in [0, 1, 977] {
            var first = SplitMix64(seed: 42, index: index)
            var second = SplitMix64(seed: 42, index: index)
            let a = mutator.mutate(first.pick(inputs).bytes, using: &first)
            let b = mutator.mutate(second.pick(inputs).bytes, using: &second)
            #expect(a.bytes == b.bytes && a.edits == b.edits)
        }
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    }
}
