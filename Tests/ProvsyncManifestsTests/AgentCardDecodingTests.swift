import Testing
import ProvsyncModel
@testable import ProvsyncManifests

private func decode(_ text: String) -> (manifests: [Manifest], diagnostics: [String]) {
    let result = ManifestDecoder.decode(file: "m.yaml", bytes: Array(text.utf8))
    return (result.manifests, Diagnostic.sortedByLocation(result.diagnostics).map(\.description))
}

/// An image provider whose card (from line 6, keys at column 5) holds the required fields, each replaced by
/// the line `fields` gives for its name (nil drops it); `extra` lines follow the last field.
private func withCard(_ fields: [String: String?] = [:], extra: [String] = []) -> String {
    let minimal: [(String, String)] = [
        ("name", "name: Research"), ("description", "description: Finds papers."),
        ("url", "url: http://localhost:8000/"), ("version", "version: \"1.2.0\""), ("capabilities", "capabilities: {}"),
        ("defaultInputModes", "defaultInputModes: [text/plain]"),
        ("defaultOutputModes", "defaultOutputModes: [text/plain]"), ("skills", "skills: []"),
    ]
    let lines = minimal.compactMap { name, line in fields[name] ?? line } + extra
    return "apiVersion: provsync/v1\nkind: AgentProvider\nspec:\n  location: ghcr.io/acme/a:1\n  agent_card:\n"
        + lines.map { "    \($0)\n" }.joined()
}

@Suite("Agent card decoding")
struct AgentCardDecodingTests {
    @Test("a card with every required field decodes to its JSON")
    func minimalCard() throws {
        let result = decode(withCard())
        #expect(result.diagnostics.isEmpty)
        guard case .agentProvider(let agent) = try #require(result.manifests.first).body else {
            Issue.record("AgentProvider expected")
            return
        }
        #expect(agent.agentCard == [
            "name": "Research", "description": "Finds papers.", "url": "http://localhost:8000/", "version": "1.2.0",
            "capabilities": [:], "defaultInputModes": ["text/plain"], "defaultOutputModes": ["text/plain"],
            "skills": [],
        ])
    }

    @Test("an unknown card key is an error at the key, with the closest name or the allowed ones")
    func unknownCardKeys() {
        let result = decode(withCard(["description": "descripton: Finds papers."], extra: ["colour: blue"]))
        #expect(result.manifests.isEmpty)
        #expect(result.diagnostics == [
            "m.yaml:7:5: error: unknown field \"spec.agent_card.descripton\" in agent card; did you mean \"description\"?",
            "m.yaml:14:5: error: unknown field \"spec.agent_card.colour\" in agent card; allowed: name, description, "
                + "url, version, protocolVersion, preferredTransport, capabilities, defaultInputModes, "
                + "defaultOutputModes, skills, provider, documentationUrl, iconUrl, additionalInterfaces, security, "
                + "securitySchemes, signatures, supportsAuthenticatedExtendedCard",
        ])
    }

    @Test("unknown keys are errors at every level the card schema defines",
          arguments: [
              ("capabilities", "capabilities: {streamng: true}",
               "m.yaml:10:20: error: unknown field \"spec.agent_card.capabilities.streamng\" in agent card "
                   + "capabilities; did you mean \"streaming\"?"),
              ("capabilities", "capabilities: {extensions: [{uri: u, param: {}}]}",
               "m.yaml:10:42: error: unknown field \"spec.agent_card.capabilities.extensions[0].param\" in agent card "
                   + "extension; did you mean \"params\"?"),
              ("skills", "skills: [{id: s, name: S, description: D, tags: [], example: [x]}]",
               "m.yaml:13:57: error: unknown field \"spec.agent_card.skills[0].example\" in agent card skill; "
                   + "did you mean \"examples\"?"),
              ("skills", "skills: [{id: s, name: S, description: D, tags: [], score: 3}]",
               "m.yaml:13:57: error: unknown field \"spec.agent_card.skills[0].score\" in agent card skill; "
                   + "allowed: id, name, description, tags, examples, inputModes, outputModes, security"),
              ("skills", "provider: {organisation: Acme, url: u}",
               "m.yaml:13:16: error: unknown field \"spec.agent_card.provider.organisation\" in agent card provider; "
                   + "did you mean \"organization\"?"),
              ("skills", "additionalInterfaces: [{transport: JSONRPC, url: u, name: x}]",
               "m.yaml:13:57: error: unknown field \"spec.agent_card.additionalInterfaces[0].name\" in agent card "
                   + "interface; allowed: transport, url"),
              ("skills", "signatures: [{protected: p, signature: s, headers: {}}]",
               "m.yaml:13:47: error: unknown field \"spec.agent_card.signatures[0].headers\" in agent card signature; "
                   + "did you mean \"header\"?"),
          ])
    func unknownNestedKeys(field: String, line: String, expected: String) {
        // A replaced `skills` line moves to the end as an extra one, so `skills: []` stays in place.
        let text = field == "skills" && !line.hasPrefix("skills")
            ? withCard(["skills": nil], extra: [line, "skills: []"]) : withCard([field: line])
        #expect(decode(text).diagnostics == [expected])
    }

    @Test("a missing required field is named at the key of the object that lacks it, or at a skill's start")
    func missingRequiredFields() {
        let result = decode(withCard(["url": nil, "defaultOutputModes": nil, "skills": "skills: [{id: s, tags: []}]"]))
        #expect(result.manifests.isEmpty)
        #expect(result.diagnostics == [
            "m.yaml:5:3: error: missing required field \"spec.agent_card.url\"",
            "m.yaml:5:3: error: missing required field \"spec.agent_card.defaultOutputModes\"",
            "m.yaml:11:14: error: missing required field \"spec.agent_card.skills[0].name\"",
            "m.yaml:11:14: error: missing required field \"spec.agent_card.skills[0].description\"",
        ])
    }

    @Test("an empty card names every field it lacks")
    func emptyCard() {
        let result = decode("apiVersion: provsync/v1\nkind: AgentProvider\nspec:\n  location: acme/a\n  agent_card: {}\n")
        #expect(result.diagnostics == ["name", "description", "url", "version", "capabilities", "defaultInputModes",
                                       "defaultOutputModes", "skills"].map {
            "m.yaml:5:3: error: missing required field \"spec.agent_card.\($0)\""
        })
    }

    @Test("version must be a string: an unquoted number says to quote it",
          arguments: [
              ("version: 1.0", "m.yaml:9:14: error: \"spec.agent_card.version\" must be a string, not a number; "
                  + "quote it: \"1.0\""),
              ("version: 2", "m.yaml:9:14: error: \"spec.agent_card.version\" must be a string, not an integer; "
                  + "quote it: \"2\""),
              ("version:", "m.yaml:9:13: error: \"spec.agent_card.version\" has no value; give a string"),
          ])
    func version(line: String, expected: String) {
        #expect(decode(withCard(["version": line])).diagnostics == [expected])
    }

    @Test("a value of the wrong type is an error at the value",
          arguments: [
              ("skills", "skills: {id: s}", "m.yaml:13:13: error: \"spec.agent_card.skills\" must be a list, not a mapping"),
              ("defaultInputModes", "defaultInputModes: text/plain",
               "m.yaml:11:24: error: \"spec.agent_card.defaultInputModes\" must be a list of strings, not a string"),
              ("defaultOutputModes", "defaultOutputModes: [text/plain, 3]",
               "m.yaml:12:38: error: \"spec.agent_card.defaultOutputModes[1]\" must be a string, not an integer; "
                   + "quote it: \"3\""),
              ("capabilities", "capabilities: {streaming: yes}",
               "m.yaml:10:31: error: \"spec.agent_card.capabilities.streaming\" must be true or false, not a string "
                   + "(\"yes\" is a string in provsync manifests)"),
              ("capabilities", "capabilities: [streaming]",
               "m.yaml:10:19: error: \"spec.agent_card.capabilities\" must be a mapping, not a list"),
              ("capabilities", "capabilities:",
               "m.yaml:10:5: error: \"spec.agent_card.capabilities\" has no value; it must be a mapping"),
              ("name", "name: [Research]", "m.yaml:6:11: error: \"spec.agent_card.name\" must be a string, not a list"),
              ("skills", "skills: [{id: s, name: S, description: D, tags: [], security: [{oauth: read}]}]",
               "m.yaml:13:76: error: \"spec.agent_card.skills[0].security[0].oauth\" must be a list of strings, "
                   + "not a string"),
          ])
    func wrongTypes(field: String, line: String, expected: String) {
        #expect(decode(withCard([field: line])).diagnostics == [expected])
    }

    @Test("optional fields may be null, and free-form parts (params, security schemes, headers) take any JSON")
    func optionalAndFreeForm() throws {
        let result = decode(withCard([
            "capabilities": "capabilities: {streaming: null, extensions: [{uri: u, params: {any: [1, {x: null}]}}]}",
        ], extra: [
            "iconUrl: null",
            "provider: ~",
            "securitySchemes: {key: {type: apiKey, in: header, name: X-Key, extra: [true]}}",
            "signatures: [{protected: p, signature: s, header: {kid: 1}}]",
        ]))
        #expect(result.diagnostics.isEmpty)
        guard case .agentProvider(let agent) = try #require(result.manifests.first).body else { return }
        #expect(agent.agentCard?["capabilities"] == [
            "streaming": .null, "extensions": [["uri": "u", "params": ["any": [1, ["x": .null]]]]],
        ])
        #expect(agent.agentCard?["iconUrl"] == .null && agent.agentCard?["provider"] == .null)
        #expect(agent.agentCard?["securitySchemes"] == [
            "key": ["type": "apiKey", "in": "header", "name": "X-Key", "extra": [true]],
        ])
        #expect(agent.agentCard?["signatures"] == [["protected": "p", "signature": "s", "header": ["kid": 1]]])
    }

    @Test("the earlier card checks stay: no ${env:…} references, finite numbers only, every mistake in one run")
    func earlierChecks() {
        let result = decode(withCard([
            "name": "name: ${env:NAME}",
            "capabilities": "capabilities: {extensions: [{uri: u, params: {weight: .nan}}]}",
        ], extra: ["iconUrl: 3"]))
        #expect(result.diagnostics == [
            "m.yaml:6:11: error: \"spec.agent_card.name\": ${env:…} references are expanded only in spec.config "
                + "and spec.variables values",
            "m.yaml:10:59: error: \"spec.agent_card.capabilities.extensions[0].params.weight\" must be a finite "
                + "number; JSON has no .nan",
            "m.yaml:14:14: error: \"spec.agent_card.iconUrl\" must be a string, not an integer; quote it: \"3\"",
        ])
    }
}

extension JSONValue {
    fileprivate subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }
}

@Suite("Network agent providers")
struct NetworkProviderRuleTests {
    @Test("a network provider cannot set a card: the server replaces it with the served one",
          arguments: ["https://docs.example.com", "http://localhost:8000/a2a"])
    func cardOnNetworkProvider(location: String) {
        let result = decode("""
            apiVersion: provsync/v1
            kind: AgentProvider
            spec:
              location: \(location)
              agent_card: {name: Docs}
            """)
        #expect(result.manifests.isEmpty)
        #expect(result.diagnostics == [
            "m.yaml:5:3: error: \"spec.agent_card\" cannot be set for a network provider: the server replaces the "
                + "stored card with the one the agent serves within 5 s, so it would show as a change on every plan; "
                + "remove it and let the agent serve its card",
        ])
    }

    @Test("a network provider may pin only the origin derived from its location, in a loopback host's spellings",
          arguments: [
              ("https://docs.example.com", "https://docs.example.com/", nil),
              ("https://Docs.example.com:443", "https://docs.example.com/", nil),
              ("http://localhost:8000", "http://host.docker.internal:8000/", nil),
              ("http://localhost:8000", "http://127.0.0.1:8000/", nil),
              ("http://host.docker.internal:8000/a?b", "http://localhost:8000/a?b", nil),
              ("ghcr.io/acme/docs:1", "team/docs", nil),
              ("https://docs.example.com", "team/docs", "\"team/docs\" cannot be pinned on a network provider: the "
                  + "server recomputes the origin from the location on every probe and every PATCH, so it would be "
                  + "\"https://docs.example.com/\" again and show as a change on every plan; remove it"),
              ("https://docs.example.com", "https://docs.example.com", "\"https://docs.example.com\" cannot be "
                  + "pinned on a network provider: the server recomputes the origin from the location on every probe "
                  + "and every PATCH, so it would be \"https://docs.example.com/\" again"),
              ("http://localhost:8000", "http://agents.example.com:8000/", "so it would be "
                  + "\"http://localhost:8000/\" (or \"http://127.0.0.1:8000/\", \"http://host.docker.internal:8000/\") "
                  + "again and show as a change on every plan; remove it"),
          ] as [(String, String, String?)])
    func pinnedOrigin(location: String, origin: String, expected: String?) throws {
        let result = decode("""
            apiVersion: provsync/v1
            kind: AgentProvider
            spec:
              location: \(location)
              origin: \(origin)
            """)
        guard let expected else {
            #expect(result.diagnostics.isEmpty)
            guard case .agentProvider(let agent) = try #require(result.manifests.first).body else { return }
            #expect(agent.origin == origin && agent.originIsPinned)
            return
        }
        #expect(result.manifests.isEmpty)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.hasPrefix("m.yaml:5:11: error: \"spec.origin\" ") == true)
        #expect(result.diagnostics.first?.contains(expected) == true, "\(result.diagnostics)")
    }
}
