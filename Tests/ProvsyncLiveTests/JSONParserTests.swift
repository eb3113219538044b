import Foundation
@testable import ProvsyncLive
import ProvsyncModel
import ProvsyncTestSupport
import Testing

@Suite("Reading JSON answers (no network)")
struct JSONParserTests {
    static func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Data(text.utf8))
    }

    @Test("every kind of value, nested, with whitespace around")
    func values() throws {
        let text = #" {"a": [1, -2, 3.5, -0.25e2, 1E3, true, false, null], "b": {"c": "d", "e": {}}, "f": [], "g": ""} "#
        #expect(try Self.parse(text) == .object([
            "a": .array([.integer(1), .integer(-2), .number(3.5), .integer(-25), .integer(1000), .bool(true),
                         .bool(false), .null]),
            "b": .object(["c": .string("d"), "e": .object([:])]),
            "f": .array([]),
            "g": .string(""),
        ]))
        #expect(try Self.parse("0") == .integer(0))
        #expect(try Self.parse("-0") == .integer(0))
        #expect(try Self.parse("9223372036854775807") == .integer(Int.max))
        #expect(try Self.parse("-9223372036854775808") == .integer(Int.min))
        #expect(try Self.parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
        // Whole numbers written with a fraction or exponent are integers, as JSONDecoder reads them.
        #expect(try Self.parse("[3.0, 1e15, -0.0, 2.5e0, 1e-400]")
                == .array([.integer(3), .integer(1_000_000_000_000_000), .integer(0), .number(2.5), .integer(0)]))
        #expect(try Self.parse("\u{FEFF}{\"a\": 1}") == .object(["a": .integer(1)]), "a byte order mark is skipped")
    }

    @Test("numbers beyond range read leniently: an answer is not refused for a field provsync may not use")
    func outOfRangeNumbers() throws {
        let parsed = try Self.parse(#"{"huge": 1e999999, "tiny": -1e999, "long": 123456789012345678901234567890, "x": 1}"#)
        #expect(parsed == .object([
            "huge": .number(.greatestFiniteMagnitude), "tiny": .number(-.greatestFiniteMagnitude),
            "long": .number(123456789012345678901234567890), "x": .integer(1),
        ]))
    }

    @Test("escapes, surrogate pairs, and text outside ASCII")
    func strings() throws {
        #expect(try Self.parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{c}\n\r\t"))
        #expect(try Self.parse(#""\u00e9\u4e2d\ud83d\ude00""#) == .string("é中😀"))
        #expect(try Self.parse(#""\ud83d x""#) == .string("\u{FFFD} x"))
        #expect(try Self.parse(#""\ud83d\u0041""#) == .string("\u{FFFD}A"))
        #expect(try Self.parse("\"héllo 😀\"") == .string("héllo 😀"))
        #expect(try Self.parse(#"{"k\u0041": 1}"#) == .object(["kA": .integer(1)]))
    }

    @Test("text that is not JSON is refused, never crashes", arguments: [
        "", " ", "{", "}", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\": 1,}", "{a: 1}", "01", "1.", ".5", "-", "+1",
        "1e", "1e+", "tru", "nul", "falsey", "\"open", "\"bad \\x escape\"", "\"\\u12\"", "\"raw \u{01} control\"",
        "1 2", "[] x", "'single'", "NaN", "Infinity",
    ])
    func refused(text: String) {
        #expect(throws: WireError(.notJSON)) { try Self.parse(text) }
    }

    @Test("nesting deeper than the limit is refused; at the limit it reads")
    func depth() throws {
        let limit = JSONParser.maxDepth
        let deep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(throws: WireError(.notJSON)) { try Self.parse(deep) }
        let bombs = String(repeating: "[", count: 1_000_000)
        #expect(throws: WireError(.notJSON)) { try Self.parse(bombs) }
        let atLimit = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        _ = try Self.parse(atLimit)
    }

    @Test("what JSONEncoder writes reads back as the same value (seeded random values)")
    func roundTrip() throws {
        var random = SplitMix64(seed: 20_261_124)
        for _ in 0..<300 {
            let value = Self.randomValue(depth: 0, using: &random)
            let data = try JSONEncoder().encode(value)
            #expect(try JSONParser.parse(data) == value)
        }
    }

    @Test("errors name the place in the answer, never a value")
    func errorPaths() throws {
        let page = #"{"items": [{"id": "a", "source": "s"}, {"source": "secret-value"}]}"#
        do {
            _ = try WireProviderPage(wire: Self.parse(page))
            Issue.record("a provider without id was accepted")
        } catch let error as WireError {
            #expect(error.summary == #"missing "id" in items[1]"#)
        }
        #expect(throws: WireError(.missing("items"))) { try WireProviderPage(wire: Self.parse(#"{"has_more": false}"#)) }
        #expect(WireError(.unexpected).within("[2]").within("items").summary == "unexpected value at items[2]")
        #expect(WireError(.unexpected).summary == "unexpected value at the top level")
        #expect(WireError(.notJSON).within("items").summary == "not JSON")
    }

    static func randomValue(depth: Int, using random: inout SplitMix64) -> JSONValue {
        let pick = random.next() % (depth > 3 ? 5 : 7)
        switch pick {
        case 0: return .null
        case 1: return .bool(random.next() % 2 == 0)
        case 2: return .integer(Int(truncatingIfNeeded: random.next()) >> Int(random.next() % 60))
        case 3: return .number(Double(2 * Int(random.next() % 1_000_000) + 1) / 64)  // never whole: whole ones read as integers
        case 4: return .string(randomString(using: &random))
        case 5: return .array((0..<random.next() % 5).map { _ in randomValue(depth: depth + 1, using: &random) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<random.next() % 5 {
                object[randomString(using: &random)] = randomValue(depth: depth + 1, using: &random)
            }
            return .object(object)
        }
    }

    static func randomString(using random: inout SplitMix64) -> String {
        let alphabet: [Character] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "é", "中", "😀", "\u{7f}"]
        return String((0..<random.next() % 8).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }
}
