/// Path ids as FastAPI reads a `UUID` parameter (Rust `uuid` wording in the 422 messages).
enum UUIDPath {
    /// The lower-case hyphenated form of `text`, or the `uuid_parsing` issue.
    static func parse(_ text: String) -> Result<String, ValidationIssue> {
        var body = Substring(text)
        if body.lowercased().hasPrefix("urn:uuid:") { body = body.dropFirst(9) }
        let allowed = Set("0123456789abcdefABCDEF-")
        if let bad = body.enumerated().first(where: { !allowed.contains($0.element) }) {
            return .failure(issue(text, "invalid character: expected an optional prefix of `urn:uuid:` followed by "
                                  + "[0-9a-fA-F-], found `\(bad.element)` at \(bad.offset + 1)"))
        }
        let hex = body.filter { $0 != "-" }.lowercased()
        let hyphenated = body.count == 36 && [8, 13, 18, 23].allSatisfy { body[body.index(body.startIndex, offsetBy: $0)] == "-" }
        guard hex.count == 32, body.count == 32 || hyphenated else {
            return .failure(issue(text, "invalid length: expected length 32 for simple format, found \(body.count)"))
        }
        let characters = Array(hex)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32]
        return .success(groups.map { String(characters[$0]) }.joined(separator: "-"))
    }

    private static func issue(_ input: String, _ error: String) -> ValidationIssue {
        ValidationIssue(type: "uuid_parsing", loc: [.key("path"), .key("id")], msg: "Input should be a valid UUID, \(error)",
                        input: .string(input), ctx: ["error": .string(error)])
    }
}
