/// The shape of a value inside `spec.agent_card`.
indirect enum CardShape: Sendable {
    case string
    case boolean
    /// A list whose items all have one shape.
    case list(CardShape)
    /// A mapping holding the fields of one card object; other keys are errors.
    case object(CardObject)
    /// A mapping with any keys whose values all have one shape.
    case map(CardShape)
    /// Any JSON value: the free-form parts (extension `params`, security scheme definitions).
    case any
}

/// One object of the card (the card itself, a skill, its capabilities, ...) and the fields it may hold.
struct CardObject: Sendable {
    /// The object's name in the agent API's OpenAPI document (`AgentSkill`).
    var schemaName: String
    /// What messages call it (`agent card skill`).
    var owner: String
    var fields: [CardField]

    var allowed: [String] { fields.map(\.name) }
    var required: [String] { fields.filter(\.isRequired).map(\.name) }
}

/// A field of a card object. An optional field may also be null, as the API's schema allows.
struct CardField: Sendable {
    var name: String
    var shape: CardShape
    var isRequired: Bool

    static func required(_ name: String, _ shape: CardShape) -> CardField {
        CardField(name: name, shape: shape, isRequired: true)
    }

    static func optional(_ name: String, _ shape: CardShape) -> CardField {
        CardField(name: name, shape: shape, isRequired: false)
    }
}

/// The a2a 0.3 AgentCard as the agent API parses `agent_card` (its `openapi.json`, `AgentCard-Input` and the
/// objects it refers to). The API drops unknown keys silently and answers 422 for a missing required field or
/// a wrong type; provsync reports both, so a card in git is the card the server stores.
enum AgentCardSchema {
    static let card = CardObject(schemaName: "AgentCard-Input", owner: "agent card", fields: [
        .required("name", .string),
        .required("description", .string),
        .required("url", .string),
        .required("version", .string),
        .optional("protocolVersion", .string),
        .optional("preferredTransport", .string),
        .required("capabilities", .object(capabilities)),
        .required("defaultInputModes", .list(.string)),
        .required("defaultOutputModes", .list(.string)),
        .required("skills", .list(.object(skill))),
        .optional("provider", .object(agentProvider)),
        .optional("documentationUrl", .string),
        .optional("iconUrl", .string),
        .optional("additionalInterfaces", .list(.object(agentInterface))),
        .optional("security", .list(securityRequirement)),
        .optional("securitySchemes", .map(.any)),
        .optional("signatures", .list(.object(signature))),
        .optional("supportsAuthenticatedExtendedCard", .boolean),
    ])

    static let capabilities = CardObject(schemaName: "AgentCapabilities", owner: "agent card capabilities", fields: [
        .optional("extensions", .list(.object(agentExtension))),
        .optional("pushNotifications", .boolean),
        .optional("stateTransitionHistory", .boolean),
        .optional("streaming", .boolean),
    ])

    static let agentExtension = CardObject(schemaName: "AgentExtension", owner: "agent card extension", fields: [
        .required("uri", .string),
        .optional("description", .string),
        .optional("params", .map(.any)),
        .optional("required", .boolean),
    ])

    static let skill = CardObject(schemaName: "AgentSkill", owner: "agent card skill", fields: [
        .required("id", .string),
        .required("name", .string),
        .required("description", .string),
        .required("tags", .list(.string)),
        .optional("examples", .list(.string)),
        .optional("inputModes", .list(.string)),
        .optional("outputModes", .list(.string)),
        .optional("security", .list(securityRequirement)),
    ])

    static let agentProvider = CardObject(schemaName: "AgentProvider", owner: "agent card provider", fields: [
        .required("organization", .string),
        .required("url", .string),
    ])

    static let agentInterface = CardObject(schemaName: "AgentInterface", owner: "agent card interface", fields: [
        .required("transport", .string),
        .required("url", .string),
    ])

    static let signature = CardObject(schemaName: "AgentCardSignature", owner: "agent card signature", fields: [
        .required("protected", .string),
        .required("signature", .string),
        .optional("header", .map(.any)),
    ])

    /// Scheme names to the scopes they need.
    static let securityRequirement = CardShape.map(.list(.string))

    /// Every object of the card, the card first.
    static let objects = [card, capabilities, agentExtension, skill, agentProvider, agentInterface, signature]
}
