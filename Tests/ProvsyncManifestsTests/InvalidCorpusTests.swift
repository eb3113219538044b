import Foundation
import Testing
@testable import ProvsyncManifests
import ProvsyncModel

/// Each file of `Corpus/invalid` holds one mistake. Its first line is a comment naming the first error the
/// decoder must report, as printed after the file's path: `# expect: LINE:COLUMN: error: MESSAGE`.
enum InvalidCorpus {
    static let expectPrefix = "# expect: "

    static var directory: URL {
        get throws {
            let corpus = try #require(
                Bundle.module.url(forResource: "Corpus", withExtension: nil), "the Corpus resource is missing"
            )
            return corpus.appendingPathComponent("invalid", isDirectory: true)
        }
    }

    /// The `.yaml` files of the corpus, by name; empty when the folder cannot be read (the count test fails then).
    static var fileNames: [String] {
        guard let corpus = Bundle.module.url(forResource: "Corpus", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(
                  atPath: corpus.appendingPathComponent("invalid", isDirectory: true).path
              ) else { return [] }
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// The text after `# expect: ` on the first line, read as bytes so that files which are not UTF-8
    /// further down still yield their ASCII first line.
    static func expectation(in bytes: [UInt8]) -> String? {
        let firstLine = bytes.prefix { $0 != UInt8(ascii: "\n") }
        guard let line = String(bytes: firstLine, encoding: .utf8), line.hasPrefix(expectPrefix) else { return nil }
        return String(line.dropFirst(expectPrefix.count))
    }
}

@Suite("Invalid manifest corpus")
struct InvalidCorpusTests {
    @Test("the corpus holds at least 30 invalid manifests")
    func corpusSize() {
        #expect(InvalidCorpus.fileNames.count >= 30)
    }

    @Test("the first error of each invalid manifest is the one its first line names",
          arguments: InvalidCorpus.fileNames)
    func firstError(name: String) throws {
        let data = try Data(contentsOf: try InvalidCorpus.directory.appendingPathComponent(name))
        let bytes = [UInt8](data)
        let expected = try #require(
            InvalidCorpus.expectation(in: bytes), "\(name): line 1 must be \"\(InvalidCorpus.expectPrefix)LINE:COLUMN: error: MESSAGE\""
        )

        let decoded = ManifestDecoder.decode(file: name, bytes: bytes)
        let diagnostics = Diagnostic.sortedByLocation(
            decoded.diagnostics + ManifestLoader.duplicateIdentities(in: decoded.identities)
        )

        #expect(diagnostics.hasErrors, "\(name) decoded without errors")
        let first = try #require(diagnostics.first)
        #expect(first.description == "\(name):" + expected)
    }
}
