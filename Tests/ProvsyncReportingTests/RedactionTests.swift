import Foundation
import Testing
import ProvsyncModel
import ProvsyncReporting

@Suite("Secret values and their redaction")
struct RedactionTests {
    private func redactor(_ values: [String]) -> Redactor {
        Redactor(SecretValues(values), spellings: Escaping.secretSpellings)
    }

    @Test("every occurrence is replaced; overlapping and touching secrets leave nothing of either")
    func occurrences() {
        let redactor = redactor(["hunter22", "ter22xyz", "abcd"])
        #expect(redactor.redact("a hunter22 b hunter22") == "a (sensitive) b (sensitive)")
        #expect(redactor.redact("hunter22xyz!") == "(sensitive)!")
        #expect(redactor.redact("abcdabcd-abc") == "(sensitive)-abc")
        #expect(redactor.redact("nothing here") == "nothing here")
    }

    @Test("values shorter than four characters are not secrets")
    func short() {
        let secrets = SecretValues(["", "1", "on", "abc", "abcd"])
        #expect(secrets.values == ["abcd"])
        #expect(Redactor(secrets).redact("1 on abc abcd") == "1 on abc (sensitive)")
    }

    @Test("credentials: the token, the password and every header made of them")
    func credentials() {
        let secrets = SecretValues.credentials(token: "t0ken-value", username: "bot", password: "pa55word")
        let basic = Data("bot:pa55word".utf8).base64EncodedString()
        #expect(secrets.values == ["t0ken-value", "Bearer t0ken-value", "pa55word", "bot:pa55word", basic,
                                   "Basic \(basic)"])
        #expect(SecretValues.credentials(token: "", username: nil, password: nil).isEmpty)
    }

    @Test("spellings: JSON-escaped, control characters escaped, markdown, annotations, whitespace collapsed")
    func spellings() {
        let redactor = redactor([#"a"b/c\d"#, "line1\nline2", "p|w_d", "x  y\tzz"])
        #expect(redactor.redact(#"{"v":"a\"b/c\\d"} {"v":"a\"b\/c\\d"}"#) == #"{"v":"(sensitive)"} {"v":"(sensitive)"}"#)
        #expect(redactor.redact(#"key: "line1\nline2""#) == #"key: "(sensitive)""#)
        #expect(redactor.redact("cell p\\|w\\_d") == "cell (sensitive)")
        #expect(redactor.redact("::error::line1%0Aline2") == "::error::(sensitive)")
        #expect(redactor.redact("message x y zz") == "message (sensitive)")
    }

    @Test("a secret cut off by a shortening … is hidden from its first four bytes")
    func cutOff() {
        let redactor = redactor(["Bearer secret-token-value"])
        #expect(redactor.redact("Authorization: Bearer secret-to…") == "Authorization: (sensitive)…")
        #expect(redactor.redact("Authorization: Bea…") == "Authorization: Bea…")
        #expect(redactor.redact("…Bearer secret-token-value…") == "…(sensitive)…")
    }
}
