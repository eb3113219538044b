import Foundation
import Testing

/// Renderings compared byte for byte with the files under `Golden/`. With `PROVSYNC_UPDATE_GOLDEN=1` in the
/// environment the files are written instead (then review the change with `git diff` and commit it).
enum GoldenFiles {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static var isUpdating: Bool { ProcessInfo.processInfo.environment["PROVSYNC_UPDATE_GOLDEN"] == "1" }

    /// Records an issue unless `rendered` equals the golden file `name`, byte for byte.
    static func check(_ rendered: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        let bytes = Data((rendered + "\n").utf8)
        if isUpdating {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try bytes.write(to: url)
            return
        }
        guard let golden = FileManager.default.contents(atPath: url.path) else {
            Issue.record("no golden file \(name); run the tests with PROVSYNC_UPDATE_GOLDEN=1 to write it",
                         sourceLocation: sourceLocation)
            return
        }
        if golden != bytes {
            let expected = String(decoding: golden, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let actual = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(expected.count, actual.count)
            Issue.record("""
                \(name) differs from its golden file, first at line \(line + 1):
                  golden:   \(line < expected.count ? String(expected[line]) : "(end of file)")
                  rendered: \(line < actual.count ? String(actual[line]) : "(end of file)")
                (PROVSYNC_UPDATE_GOLDEN=1 rewrites the golden files)
                """, sourceLocation: sourceLocation)
        }
    }
}
