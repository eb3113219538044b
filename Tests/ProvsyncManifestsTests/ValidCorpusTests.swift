import Foundation
import Testing
@testable import ProvsyncManifests
import ProvsyncModel

/// Each file of `Corpus/valid` is a manifest file the decoder must accept without a diagnostic.
enum ValidCorpus {
    static var directory: URL {
        get throws {
            let corpus = try #require(
                Bundle.module.url(forResource: "Corpus", withExtension: nil), "the Corpus resource is missing"
            )
            return corpus.appendingPathComponent("valid", isDirectory: true)
        }
    }

    /// The `.yaml` files of the folder, by name; empty when it cannot be read (the count test fails then).
    static var fileNames: [String] {
        guard let directory = try? directory,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }
}

@Suite("Valid manifest corpus")
struct ValidCorpusTests {
    @Test("the valid corpus is there")
    func corpusSize() {
        #expect(ValidCorpus.fileNames.count >= 2)
    }

    @Test("each valid manifest file decodes without a diagnostic", arguments: ValidCorpus.fileNames)
    func decodes(name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: try ValidCorpus.directory.appendingPathComponent(name)))
        let decoded = ManifestDecoder.decode(file: name, bytes: bytes)
        let diagnostics = decoded.diagnostics + ManifestLoader.duplicateIdentities(in: decoded.identities)
        #expect(diagnostics.map(\.description) == [])
        #expect(!decoded.manifests.isEmpty)
    }
}
