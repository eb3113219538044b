import ProvsyncModel

/// A 1-based line and column in a YAML text (columns count characters, not bytes), and the file when the
/// node was merged from several files (layers); nil means the file being decoded.
package struct YAMLMark: Sendable, Hashable, Comparable {
    package var line: Int
    package var column: Int
    package var file: String?

    package init(line: Int, column: Int, file: String? = nil) {
        self.line = line
        self.column = column
        self.file = file
    }

    /// The place of a location read from YAML, its file included.
    package init(_ location: SourceLocation) {
        self.init(line: location.line, column: location.column, file: location.file)
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
    /// True when the value stands in the file character for character on one line (no escapes, folding
    /// or doubled quotes), so a character's column is the value's column plus its offset.
    package var isVerbatim: Bool

    package init(text: String, style: Style, isTaggedString: Bool = false, mark: YAMLMark, isVerbatim: Bool = false) {
        self.text = text
        self.style = style
        self.isTaggedString = isTaggedString
        self.mark = mark
        self.isVerbatim = isVerbatim
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
