@testable import ProvsyncManifests
import ProvsyncModel

/// What must hold for any bytes decoded as a manifest file or as provsync.yaml: the decoder returns, every
/// diagnostic is placed in that file at a line and column that exist, prints as one line, and no document
/// is dropped silently.
enum DecodingProperty {
    /// The ways decoding `bytes` breaks the property; empty when it holds.
    static func violations(of bytes: [UInt8], limits: YAMLLimits) -> [String] {
        let path = "manifests/fuzz.yaml"
        let lines = LineLengths(bytes)
        let decoded = ManifestDecoder.decode(file: path, bytes: bytes, limits: limits)
        var found = decoded.diagnostics.compactMap { check($0, path: path, lines: lines) }
        for manifest in decoded.manifests where manifest.location.file != path || manifest.location.line < 1 {
            found.append("manifest placed at \(manifest.location)")
        }
        for identity in decoded.identities where !lines.contains(identity.location, in: path) {
            found.append("identity \(identity.address) placed at \(identity.location)")
        }
        let documents = YAMLParser.parse(bytes, limits: limits).documents.filter { $0.root != nil }.count
        if !decoded.diagnostics.hasErrors && decoded.manifests.count != documents {
            found.append("\(documents) documents gave \(decoded.manifests.count) manifests and no error")
        }
        let configuration = ConfigurationDecoder.decode(file: "provsync.yaml", bytes: bytes, limits: limits)
        found += configuration.diagnostics.compactMap { check($0, path: "provsync.yaml", lines: lines) }
        return found
    }

    private static func check(_ diagnostic: Diagnostic, path: String, lines: LineLengths) -> String? {
        guard let location = diagnostic.location else { return "unplaced: \(diagnostic)" }
        if !lines.contains(location, in: path) { return "misplaced: \(diagnostic)" }
        if diagnostic.message.isEmpty || diagnostic.description.contains(where: \.isNewline) {
            return "not one line: \(diagnostic.description.debugDescription)"
        }
        return nil
    }
}

/// The length of each line of a text in characters, with lines and characters counted as libyaml counts
/// them (breaks are LF, CR, CRLF, NEL, LS and PS; bytes that do not continue a UTF-8 sequence are
/// characters), so a line and column can be checked to be inside the text.
struct LineLengths {
    private var lengths: [Int] = [0]

    init(_ bytes: [UInt8]) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            let third = index + 2 < bytes.count ? bytes[index + 2] : 0
            if byte == 0x0D && next == 0x0A {
                lengths.append(0)
                index += 2
            } else if byte == 0x0A || byte == 0x0D {
                lengths.append(0)
                index += 1
            } else if byte == 0xC2 && next == 0x85 {
                lengths.append(0)
                index += 2
            } else if byte == 0xE2 && next == 0x80 && (third == 0xA8 || third == 0xA9) {
                lengths.append(0)
                index += 3
            } else {
                if byte & 0xC0 != 0x80 { lengths[lengths.count - 1] += 1 }
                index += 1
            }
        }
    }

    /// True when `location` is in `path` at an existing line, at most one column past the line's end.
    func contains(_ location: SourceLocation, in path: String) -> Bool {
        location.file == path && location.line >= 1 && location.column >= 1 && location.line <= lengths.count
            && location.column <= lengths[location.line - 1] + 1
    }
}
