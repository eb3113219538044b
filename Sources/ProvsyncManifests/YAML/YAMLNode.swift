/// A 1-based line and column in a YAML text (columns count characters, not bytes).
package struct YAMLMark: Sendable, Hashable, Comparable {
    package var line: Int
    package var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    package static func < (lhs: YAMLMark, rhs: YAMLMark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A scalar as written: its text, whether it was quoted, and where it starts.
package struct YAMLScalar: Sendable, Hashable {
    package enum Style: Sendable, Hashable {
        /// Unquoted; its type is resolved from the text (`true`, `12`, `null`, ...).
        case plain
        /// Single- or double-quoted; always a string.
        case quoted
        /// A `|` or `>` block; always a string.
        case block
    }

    package var text: String
    package var style: Style
    /// True when an explicit `!!str` tag forces a string.
    package var isTaggedString: Bool
    package var mark: YAMLMark

    package init(text: String, style: Style, isTaggedString: Bool = false, mark: YAMLMark) {
        self.text = text
        self.style = style
        self.isTaggedString = isTaggedString
        self.mark = mark
    }
}

/// One `key: value` pair of a mapping, in document order.
package struct YAMLMappingEntry: Sendable, Hashable {
    package var key: YAMLScalar
    package var value: YAMLNode
}

/// A node of a YAML document. Aliases are already replaced by the node they name.
package indirect enum YAMLNode: Sendable, Hashable {
    case scalar(YAMLScalar)
    case mapping([YAMLMappingEntry], mark: YAMLMark)
    case sequence([YAMLNode], mark: YAMLMark)

    package var mark: YAMLMark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .mapping(_, let mark), .sequence(_, let mark): mark
        }
    }

    /// A word for the node's type, for messages ("a mapping", "a list", "a string", ...).
    package var typeDescription: String {
        switch self {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): scalar.resolved.typeDescription
        }
    }
}

/// A document of a YAML stream; `root` is nil for an empty document.
package struct YAMLDocument: Sendable, Hashable {
    package var root: YAMLNode?
    package var mark: YAMLMark
}
