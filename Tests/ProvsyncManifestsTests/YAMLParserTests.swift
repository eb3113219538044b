import Testing
@testable import ProvsyncManifests

private func parse(_ text: String, limits: YAMLLimits = .standard) -> YAMLParseResult {
    YAMLParser.parse(Array(text.utf8), limits: limits)
}

private func root(_ text: String) throws -> YAMLNode {
    let result = parse(text)
    #expect(result.problems.isEmpty, "\(result.problems)")
    return try #require(result.documents.first?.root)
}

private func entries(_ node: YAMLNode) throws -> [YAMLMappingEntry] {
    guard case .mapping(let entries, _) = node else {
        Issue.record("expected a mapping, got \(node)")
        return []
    }
    return entries
}

@Suite("YAML parser")
struct YAMLParserTests {
    @Test("keys and values keep their 1-based line and column")
    func marks() throws {
        let node = try root("""
            a: 1
            nested:
              key:   value
              list:
                - x
            """)
        let top = try entries(node)
        #expect(top.map(\.key.text) == ["a", "nested"])
        #expect(top[0].key.mark == YAMLMark(line: 1, column: 1))
        #expect(top[0].value.mark == YAMLMark(line: 1, column: 4))
        let nested = try entries(top[1].value)
        #expect(nested[0].key.mark == YAMLMark(line: 3, column: 3))
        #expect(nested[0].value.mark == YAMLMark(line: 3, column: 10))
        guard case .sequence(let items, _) = nested[1].value else {
            Issue.record("list expected")
            return
        }
        #expect(items.first?.mark == YAMLMark(line: 5, column: 7))
    }

    @Test("columns count characters, not bytes")
    func unicodeColumns() throws {
        let top = try entries(try root("é: ü\nb: c"))
        #expect(top[0].value.mark == YAMLMark(line: 1, column: 4))
    }

    @Test("several documents, empty ones kept as nil roots")
    func documents() {
        let result = parse("a: 1\n---\n---\nb: 2\n")
        #expect(result.documents.count == 3)
        #expect(result.documents[1].root == nil)
        #expect(result.documents[2].mark.line == 3)
    }

    @Test("plain scalars resolve by the YAML 1.2 core schema; yes/no/on/off stay strings",
          arguments: [
              ("yes", ResolvedScalar.string("yes")), ("no", .string("no")), ("on", .string("on")),
              ("off", .string("off")), ("y", .string("y")), ("n", .string("n")), ("true", .bool(true)),
              ("False", .bool(false)), ("12", .integer(12)), ("-3", .integer(-3)), ("0x1F", .integer(31)),
              ("0o17", .integer(15)), ("1.5", .float(1.5)), ("1e3", .float(1000)), ("~", .null),
              ("null", .null), ("1.4.2", .string("1.4.2")), ("0.9.3", .string("0.9.3")),
              ("acme/postgres", .string("acme/postgres")), ("'12'", .string("12")), ("\"true\"", .string("true")),
              ("!!str 12", .string("12")), ("|\n  12", .string("12")),
          ])
    func scalarResolution(text: String, expected: ResolvedScalar) throws {
        let top = try entries(try root("k: \(text)"))
        guard case .scalar(let scalar) = top[0].value else {
            Issue.record("scalar expected")
            return
        }
        #expect(scalar.resolved == expected)
    }

    @Test("an empty value is null")
    func emptyIsNull() throws {
        let top = try entries(try root("k:\nother: 1"))
        guard case .scalar(let scalar) = top[0].value else {
            Issue.record("scalar expected")
            return
        }
        #expect(scalar.text.isEmpty)
        #expect(scalar.resolved == .null)
    }

    @Test("duplicate keys are reported at the second with the first's place, and parsing goes on")
    func duplicateKeys() {
        let result = parse("a: 1\nb: 2\na: 3\n---\nc: 4\n")
        #expect(result.problems == [
            YAMLProblem(message: "duplicate key \"a\" (first at line 1, column 1)", mark: YAMLMark(line: 3, column: 1)),
        ])
        #expect(result.documents.count == 2)
    }

    @Test("a quoted key and a plain key with the same text are duplicates")
    func quotedDuplicate() {
        let result = parse("a: 1\n\"a\": 2\n")
        #expect(result.problems.map(\.mark) == [YAMLMark(line: 2, column: 1)])
    }

    @Test("aliases are replaced by the node they name")
    func aliases() throws {
        let top = try entries(try root("base: &b {x: 1}\ncopy: *b\n"))
        guard case .mapping(let copy, _) = top[1].value else {
            Issue.record("mapping expected")
            return
        }
        #expect(copy.map(\.key.text) == ["x"])
    }

    @Test("an alias bomb is refused without being expanded")
    func aliasBomb() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 {
            let items = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(items)]")
        }
        let problems = parse(lines.joined(separator: "\n")).problems
        #expect(problems.count == 1)
        #expect(problems.first?.message == "aliases expand to more than 10000 nodes; refusing to expand them")
        #expect(problems.first?.mark.line == 4, "a3 is the first level past 10,000 nodes: the count stops there")
    }

    @Test("an unknown alias is an error at the alias")
    func unknownAlias() {
        let result = parse("a: *nope\n")
        #expect(result.problems.first?.message.hasPrefix("unknown alias *nope") == true)
        #expect(result.problems.first?.mark == YAMLMark(line: 1, column: 4))
    }

    @Test("files over the size limit are refused before parsing")
    func sizeLimit() {
        let result = parse(String(repeating: "a", count: 200), limits: YAMLLimits(maxFileBytes: 100))
        #expect(result.documents.isEmpty)
        #expect(result.problems.first?.message == "file is 200 bytes; files larger than 100 bytes are refused")
    }

    @Test("nesting past the depth limit is refused; up to it is accepted")
    func depthLimit() {
        let limits = YAMLLimits(maxDepth: 5)
        let ok = parse("a: [[[[1]]]]", limits: limits)
        #expect(ok.problems.isEmpty)
        let deep = parse("a: [[[[[1]]]]]", limits: limits)
        #expect(deep.problems.first?.message == "nesting is deeper than 5 levels")
        #expect(deep.problems.first?.mark == YAMLMark(line: 1, column: 8))
    }

    @Test("non-UTF-8 bytes are located")
    func invalidUTF8() {
        let result = YAMLParser.parse(Array("a: ok\nb: x".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        #expect(result.problems == [
            YAMLProblem(message: "file is not valid UTF-8 (byte 0xC3)", mark: YAMLMark(line: 2, column: 5)),
        ])
    }

    @Test("syntax errors name libyaml's problem at its place")
    func syntaxError() {
        let result = parse("a: 1\n  b: 2\n")
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.message == "invalid YAML: mapping values are not allowed in this context")
        #expect(result.problems.first?.mark == YAMLMark(line: 2, column: 4))
    }

    @Test("merge keys, complex keys and unknown tags are refused")
    func strictness() {
        #expect(parse("a: &a {x: 1}\nb:\n  <<: *a\n").problems.first?.message
                == "merge keys (<<) are not supported; write the fields out")
        #expect(parse("? [a, b]\n: c\n").problems.first?.message == "a mapping key must be a plain string, not a list")
        #expect(parse("a: !custom x\n").problems.first?.message == "unsupported tag !custom; remove it (manifests hold plain strings, numbers, lists and mappings)")
        #expect(parse("a: !!binary aGk=\n").problems.first?.message .hasPrefix("unsupported tag !!binary;") == true)
    }

    @Test("a UTF-8 byte-order mark is not content")
    func byteOrderMark() throws {
        let result = YAMLParser.parse([0xEF, 0xBB, 0xBF] + Array("a: 1\nb: 2\n".utf8))
        #expect(result.problems.isEmpty)
        let top = try entries(try #require(result.documents.first?.root))
        #expect(top.map(\.key.text) == ["a", "b"])
        #expect(top[0].key.mark == YAMLMark(line: 1, column: 1))
    }

    @Test("a tab is recognised after non-ASCII text on earlier lines")
    func tabAfterUnicode() {
        let result = parse("name: café\nspec:\n\tkey: 1\n")
        #expect(result.problems.first?.message == "invalid YAML: a tab cannot indent or start a value; use spaces")
    }

    @Test("errors at the end of input stay on the last line, with or without a final newline",
          arguments: ["a: \"open\n", "a: \"open", "a:\n  b: [\n\n\n"])
    func endOfInputPosition(text: String) {
        let result = parse(text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let lastContentLine = lines.lastIndex { !$0.isEmpty }.map { $0 + 1 } ?? 1
        #expect(result.problems.count == 1)
        #expect((result.problems.first?.mark.line ?? 0) <= lastContentLine)
    }

    @Test("a merge key is reported and the rest of the file is still checked")
    func mergeKeyContinues() {
        let result = parse("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n  y: 3\n")
        #expect(result.problems.map(\.message) == [
            "merge keys (<<) are not supported; write the fields out",
            "duplicate key \"y\" (first at line 4, column 3)",
        ])
    }

    @Test("integers too large for Int stay numbers; malformed hex stays a string")
    func numberEdges() throws {
        let top = try entries(try root("big: 99999999999999999999999\nhex: 0x-5\n"))
        guard case .scalar(let big) = top[0].value, case .scalar(let hex) = top[1].value else { return }
        #expect(big.resolved == .float(1e23))
        #expect(hex.resolved == .string("0x-5"))
    }
}
