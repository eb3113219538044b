import Foundation
import Testing
import ProvsyncModel

@Suite("SHA-256 and JSON values")
struct DigestAndJSONTests {
    @Test("SHA-256 matches the FIPS 180-4 test vectors, across block boundaries", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1000),
         "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ])
    func sha256(message: String, expected: String) {
        #expect(SHA256.hex(message) == expected)
    }

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
    }
}
