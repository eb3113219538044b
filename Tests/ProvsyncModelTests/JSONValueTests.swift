import Foundation
import Testing
import ProvsyncModel

@Suite("JSON values")
struct JSONValueTests {
    @Test("JSON values decode every shape, nested, and keep integers apart from fractions")
    func decoding() throws {
        let text = #"{"s": "x", "i": 3, "d": 1.5, "b": true, "n": null, "a": [1, "two", [false]], "o": {"k": {}}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value == .object([
            "s": .string("x"), "i": .integer(3), "d": .number(1.5), "b": .bool(true), "n": .null,
            "a": .array([.integer(1), .string("two"), .array([.bool(false)])]), "o": .object(["k": .object([:])]),
        ]))
        #expect(value.canonicalText == #"{"a":[1,"two",[false]],"b":true,"d":1.5,"i":3,"n":null,"o":{"k":{}},"s":"x"}"#)
        #expect(JSONValue.string("a\"b\\c\n").canonicalText == #""a\"b\\c\n""#)
        #expect(JSONValue.string("tab\t cr\r \u{1}\u{1f} é").canonicalText == #""tab\t cr\r \u0001\u001f é""#)
    }
}
