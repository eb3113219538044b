import ProvsyncTestSupport

/// Random edits of YAML bytes for fuzzing: byte, range and line edits, YAML-significant tokens, invalid
/// UTF-8, and hostile constructs (deep nesting, alias chains, very long scalars), plus splices of other inputs.
struct YAMLMutator {
    /// Inputs that splices take pieces of.
    let donors: [[UInt8]]
    /// Mutants are cut to this many bytes, except by the long-scalar edit, so that most stay fast to parse.
    var maxBytes = 64 * 1024

    static let tokens: [String] = [
        "&a ", "*a", "&b ", "*b", "*missing", "[", "]", "{", "}", ": ", ":", "- ", "-", "---\n", "--- ", "...\n",
        "? ", ", ", "#", "\"", "'", "\\", "|\n", "|-\n", ">+\n", "|2\n", "!!tag ", "!!str ", "!!int ", "!!map ",
        "!!seq ", "!!binary ", "!local ", "! ", "!<tag:yaml.org,2002:str> ", "%YAML 1.2\n", "%TAG !e! tag:e.com,2000:\n",
        "<<: ", "<<: *a\n", "\t", "\0", "\r", "\r\n", "\n", " ", "\u{85}", "\u{2028}", "\u{FEFF}", "\u{1F600}", "e\u{301}",
        "~", "null", "true", "yes", "off", ".inf", "-.inf", ".nan", "0x7FFFFFFFFFFFFFFF", "0x", "0o17", "1e400",
        "-0", "99999999999999999999999", "\"\\u0000\"", "\"\\x\"", "'it''s'", "\"\\U0010FFFF\"", "@", "`",
        "${env:", "${env:A}", "${env:1}", "$${", "${", "${env:A}${env:B}", "apiVersion: provsync/v1\n",
        "kind: Installation\n", "kind: AgentProvider\n", "spec:\n", "  provider_name: acme/x\n", "  location: x\n",
        "  origin: ", "  config:\n    A: ", "  variables: {}\n", "  agent_card:\n    name: x\n    url: ",
        "    version: 1.0\n", "    capabilities: {", "    skills:\n      - id: ", "    defaultInputModes: [", "      tags: [",
        "  location: http://localhost:8000\n", "policy:\n  ignore: [",
        "  sensitive: [config.*]\n", "  allow_replace: ", "  auto_stop_timeout_sec: ", "  version: ", "  resource_tier: ",
    ]

    static let invalidUTF8: [[UInt8]] = [
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xF5], [0xFE], [0xFF], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xC3], [0xFF, 0xFE], [0xFE, 0xFF],
    ]

    static let interestingBytes: [UInt8] = Array("\0\t\n\r :-#&*!|>'\"%@`{}[],?\\~".utf8) + [0x7F, 0x80, 0xC3, 0xFF]

    /// `input` after one to eight random edits, with a word for each edit (for failure messages).
    func mutate(_ input: [UInt8], using rng: inout SplitMix64) -> (bytes: [UInt8], edits: [String]) {
        var bytes = input
        var edits: [String] = []
        for _ in 0..<(1 + rng.below(8)) {
            edits.append(mutateOnce(&bytes, using: &rng))
        }
        if bytes.count > maxBytes && !edits.contains(where: { $0.hasPrefix("long scalar") }) {
            bytes.removeLast(bytes.count - maxBytes)
            edits.append("cut to \(maxBytes) bytes")
        }
        return (bytes, edits)
    }

    private func mutateOnce(_ bytes: inout [UInt8], using rng: inout SplitMix64) -> String {
        switch rng.below(16) {
        case 0:
            guard !bytes.isEmpty else { return "flip (empty)" }
            let offset = rng.below(bytes.count)
            bytes[offset] ^= UInt8(1) << UInt8(rng.below(8))
            return "flip bit at \(offset)"
        case 1:
            guard !bytes.isEmpty else { return "set byte (empty)" }
            let offset = rng.below(bytes.count)
            bytes[offset] = rng.oneIn(2) ? rng.pick(Self.interestingBytes) : UInt8(truncatingIfNeeded: rng.next())
            return "set byte at \(offset)"
        case 2:
            let range = randomRange(in: bytes, using: &rng)
            bytes.removeSubrange(range)
            return "delete \(range)"
        case 3:
            let range = randomRange(in: bytes, using: &rng)
            let copy = Array(bytes[range])
            let times = rng.oneIn(8) ? 1 + rng.below(64) : 1
            bytes.insert(contentsOf: Array([[UInt8]](repeating: copy, count: times).joined()),
                         at: position(in: bytes, using: &rng))
            return "duplicate \(range) x\(times)"
        case 4:
            return swapRanges(&bytes, using: &rng)
        case 5, 6, 7:
            let token = rng.pick(Self.tokens)
            bytes.insert(contentsOf: Array(token.utf8), at: position(in: bytes, using: &rng))
            return "insert token \(token.debugDescription)"
        case 8:
            bytes.insert(contentsOf: rng.pick(Self.invalidUTF8), at: position(in: bytes, using: &rng))
            return "insert invalid UTF-8"
        case 9:
            return editLine(&bytes, using: &rng)
        case 10:
            let (text, name) = deepNesting(using: &rng)
            bytes.insert(contentsOf: Array(text.utf8), at: position(in: bytes, using: &rng))
            return name
        case 11:
            bytes.insert(contentsOf: Array(aliasChain(using: &rng).utf8), at: position(in: bytes, using: &rng))
            return "alias chain"
        case 12:
            // Rarely long enough to pass the 1 MiB file limit; libyaml refuses simple keys over 1024 characters.
            let long = rng.oneIn(20) ? 1_100_000 : 100_000
            let count = rng.pick([16, 200, 1025, 5000, 30_000, long])
            let character = rng.pick(Array("xé\"' :#-[".utf8))
            bytes.insert(contentsOf: [UInt8](repeating: character, count: count), at: position(in: bytes, using: &rng))
            return "long scalar of \(count) bytes"
        case 13:
            guard let donor = donors.isEmpty ? nil : rng.pick(donors), !donor.isEmpty else { return "splice (none)" }
            let range = randomRange(in: donor, using: &rng)
            bytes.insert(contentsOf: donor[range], at: position(in: bytes, using: &rng))
            return "splice \(range) of a donor"
        case 14:
            let offset = rng.below(bytes.count + 1)
            bytes.removeSubrange(offset...)
            return "truncate at \(offset)"
        default:
            let prefix: [UInt8] = rng.pick([[0xEF, 0xBB, 0xBF], [0xFF, 0xFE], Array("%YAML 1.1\n---\n".utf8), [0x00]])
            bytes.insert(contentsOf: prefix, at: rng.oneIn(2) ? 0 : position(in: bytes, using: &rng))
            return "insert prefix \(prefix)"
        }
    }

    /// A place to insert at: anywhere, at a line's start, or after a `: ` or `- `.
    private func position(in bytes: [UInt8], using rng: inout SplitMix64) -> Int {
        let offset = rng.below(bytes.count + 1)
        switch rng.below(3) {
        case 0:
            return offset
        case 1:
            return bytes[offset...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? offset
        default:
            let space = bytes[offset...].firstIndex(of: UInt8(ascii: " "))
            return space.map { $0 + 1 } ?? offset
        }
    }

    /// A range of `bytes`, usually short.
    private func randomRange(in bytes: [UInt8], using rng: inout SplitMix64) -> Range<Int> {
        let start = rng.below(bytes.count + 1)
        let length = rng.below(rng.oneIn(4) ? bytes.count - start + 1 : min(16, bytes.count - start) + 1)
        return start..<(start + length)
    }

    private func swapRanges(_ bytes: inout [UInt8], using rng: inout SplitMix64) -> String {
        let first = randomRange(in: bytes, using: &rng)
        let tail = bytes[first.upperBound...]
        let start = first.upperBound + rng.below(tail.count + 1)
        let second = start..<(start + rng.below(min(16, bytes.count - start) + 1))
        let swapped = Array(bytes[second]) + bytes[first.upperBound..<second.lowerBound] + bytes[first]
        bytes.replaceSubrange(first.lowerBound..<second.upperBound, with: swapped)
        return "swap \(first) and \(second)"
    }

    /// Deletes, duplicates, swaps, indents, dedents or tab-indents a line.
    private func editLine(_ bytes: inout [UInt8], using rng: inout SplitMix64) -> String {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        let index = rng.below(lines.count)
        let name: String
        switch rng.below(6) {
        case 0:
            lines.remove(at: index)
            name = "delete line \(index + 1)"
        case 1:
            let times = rng.oneIn(8) ? 1 + rng.below(2000) : 1
            lines.insert(contentsOf: [[UInt8]](repeating: lines[index], count: times), at: index)
            name = "duplicate line \(index + 1) x\(times)"
        case 2:
            lines.swapAt(index, rng.below(lines.count))
            name = "swap line \(index + 1)"
        case 3:
            lines[index].insert(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: 1 + rng.below(4)), at: 0)
            name = "indent line \(index + 1)"
        case 4:
            lines[index].removeFirst(min(lines[index].prefix { $0 == UInt8(ascii: " ") }.count, 1 + rng.below(4)))
            name = "dedent line \(index + 1)"
        default:
            let spaces = lines[index].prefix { $0 == UInt8(ascii: " ") }.count
            lines[index].replaceSubrange(0..<min(spaces, 2), with: [UInt8(ascii: "\t")])
            name = "tab-indent line \(index + 1)"
        }
        bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
        return name
    }

    /// Nested flow lists, flow mappings, compact block lists or indented block mappings.
    private func deepNesting(using rng: inout SplitMix64) -> (text: String, name: String) {
        let depth = rng.pick([3, 40, 63, 64, 65, 66, 200, 3000])
        switch rng.below(4) {
        case 0:
            return (String(repeating: "[", count: depth) + String(repeating: "]", count: rng.below(depth + 1)),
                    "\(depth) nested [")
        case 1:
            return (String(repeating: "{a: ", count: depth) + "x" + String(repeating: "}", count: rng.below(depth + 1)),
                    "\(depth) nested {")
        case 2:
            return (String(repeating: "- ", count: depth) + "x\n", "\(depth) nested -")
        default:
            let levels = min(depth, 300)
            let text = (0..<levels).map { String(repeating: " ", count: $0) + "k:\n" }.joined()
            return (text, "\(levels) nested mappings")
        }
    }

    /// Anchors that each alias the previous one several times (a small billion-laughs).
    private func aliasChain(using rng: inout SplitMix64) -> String {
        let levels = 1 + rng.below(10)
        let width = 1 + rng.below(10)
        var text = "l0: &l0 [x, y]\n"
        for level in 1..<(levels + 1) {
            let items = [String](repeating: "*l\(level - 1)", count: width).joined(separator: ", ")
            text += "l\(level): &l\(level) [\(items)]\n"
        }
        return text
    }
}
