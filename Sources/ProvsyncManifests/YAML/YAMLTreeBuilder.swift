import CYAML

/// Turns libyaml events into `YAMLNode` trees, enforcing provsync's strict rules and the limits.
struct YAMLTreeBuilder {
    private struct Frame {
        var isMapping: Bool
        var mark: YAMLMark
        var anchor: String?
        var entries: [YAMLMappingEntry] = []
        var items: [YAMLNode] = []
        var pendingKey: YAMLScalar?
        /// True when the pending key's value is dropped (a duplicate or merge key, already reported).
        var skipsPendingValue = false
        /// Where each key of a large mapping first appears; small ones are searched through `entries`.
        var firstMarkOfKey: [String: YAMLMark] = [:]

        /// Mappings up to this many entries find duplicate keys by a scan of `entries`, which is cheaper
        /// than hashing for the handful of keys most mappings have; larger ones index their keys.
        static let scannedEntries = 16

        /// Where `key` first appeared in this mapping, if it did. Every first occurrence is in `entries`:
        /// only duplicates and merge keys have their values dropped.
        mutating func firstMark(of key: String) -> YAMLMark? {
            if entries.count < Self.scannedEntries {
                return entries.first { $0.key.text == key }?.key.mark
            }
            if firstMarkOfKey.isEmpty {
                for entry in entries where firstMarkOfKey[entry.key.text] == nil {
                    firstMarkOfKey[entry.key.text] = entry.key.mark
                }
            }
            return firstMarkOfKey[key]
        }

        /// Records a key's first appearance (its entry follows when its value is added).
        mutating func recordFirst(_ key: YAMLScalar) {
            if !firstMarkOfKey.isEmpty {
                firstMarkOfKey[key.text] = key.mark
            }
        }
        /// Nodes in this collection, itself included, counting alias expansions.
        var size = 1
        /// Levels of collections from this one down, itself included.
        var height = 1
        /// Bytes of scalar text in this collection, counting alias expansions.
        var textBytes = 0
    }

    /// A node with the measures it adds to its parent, and that an alias repeating it adds again.
    private struct MeasuredNode {
        var node: YAMLNode
        var size: Int
        var height: Int
        var textBytes: Int
    }

    private static let coreTag = "tag:yaml.org,2002:"

    let limits: YAMLLimits
    /// The end of the text's last line that is not empty; later marks move here.
    let end: YAMLMark
    private(set) var documents: [YAMLDocument] = []
    private(set) var problems: [YAMLProblem] = []
    /// True after a problem that stops the parse.
    private(set) var isFinished = false

    private var stack: [Frame] = []
    private var anchors: [String: MeasuredNode] = [:]
    private var aliasExpansion = 0
    private var aliasTextBytes = 0
    private var documentRoot: YAMLNode?
    private var documentMark = YAMLMark(line: 1, column: 1)

    init(limits: YAMLLimits, end: YAMLMark) {
        self.limits = limits
        self.end = end
    }

    /// Records a problem that ends the parse of this text.
    mutating func fail(_ message: String, at mark: YAMLMark) {
        problems.append(YAMLProblem(message: message, mark: mark))
        isFinished = true
    }

    mutating func handle(_ event: yaml_event_t) {
        var mark = YAMLMark(line: event.start_mark.line + 1, column: event.start_mark.column + 1)
        if mark.line > end.line { mark = end }
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            anchors = [:]
            documentRoot = nil
            documentMark = mark
        case YAML_DOCUMENT_END_EVENT:
            // libyaml gives an empty document an empty plain scalar; keep it as "no root".
            if case .scalar(let scalar) = documentRoot, scalar.style == .plain, scalar.text.isEmpty {
                documentRoot = nil
            }
            documents.append(YAMLDocument(root: documentRoot, mark: documentMark))
        case YAML_SCALAR_EVENT:
            handleScalar(event, at: mark)
        case YAML_ALIAS_EVENT:
            handleAlias(Self.string(event.data.alias.anchor) ?? "", at: mark)
        case YAML_SEQUENCE_START_EVENT:
            checkCollectionTag(Self.string(event.data.sequence_start.tag), expected: "seq", at: mark)
            push(Frame(isMapping: false, mark: mark, anchor: Self.string(event.data.sequence_start.anchor)))
        case YAML_MAPPING_START_EVENT:
            checkCollectionTag(Self.string(event.data.mapping_start.tag), expected: "map", at: mark)
            push(Frame(isMapping: true, mark: mark, anchor: Self.string(event.data.mapping_start.anchor)))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            let node: YAMLNode = frame.isMapping
                ? .mapping(frame.entries, mark: frame.mark)
                : .sequence(frame.items, mark: frame.mark)
            add(MeasuredNode(node: node, size: frame.size, height: frame.height, textBytes: frame.textBytes),
                anchor: frame.anchor)
        default:
            break
        }
    }

    private mutating func handleScalar(_ event: yaml_event_t, at mark: YAMLMark) {
        let data = event.data.scalar
        let text = data.value.map {
            String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self)
        } ?? ""
        let style: YAMLScalar.Style = switch data.style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE, YAML_DOUBLE_QUOTED_SCALAR_STYLE: .quoted
        case YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE: .block
        default: .plain
        }
        var isTaggedString = false
        if let tag = Self.string(data.tag) {
            switch tag {
            case "!", Self.coreTag + "str":
                isTaggedString = true
            case Self.coreTag + "int", Self.coreTag + "float", Self.coreTag + "bool", Self.coreTag + "null":
                break
            default:
                problems.append(YAMLProblem(message: Self.unsupportedTagMessage(tag), mark: mark))
            }
        }
        let quotes = style == .quoted ? 2 : 0
        let isVerbatim = style != .block && event.start_mark.line == event.end_mark.line
            && event.end_mark.column - event.start_mark.column == Self.scalarCount(text) + quotes
        let scalar = YAMLScalar(text: text, style: style, isTaggedString: isTaggedString, mark: mark,
                                isVerbatim: isVerbatim)
        add(MeasuredNode(node: .scalar(scalar), size: 1, height: 0, textBytes: data.length),
            anchor: Self.string(data.anchor))
    }

    private mutating func handleAlias(_ name: String, at mark: YAMLMark) {
        guard let target = anchors[name] else {
            fail("unknown alias *\(name); an alias must follow its anchor &\(name) in the same document", at: mark)
            return
        }
        aliasExpansion += target.size
        aliasTextBytes += target.textBytes
        guard aliasExpansion <= limits.maxAliasExpansion else {
            fail("aliases expand to more than \(limits.maxAliasExpansion) nodes; refusing to expand them", at: mark)
            return
        }
        guard aliasTextBytes <= limits.maxAliasTextBytes else {
            fail("aliases expand to more than \(limits.maxAliasTextBytes) bytes of text; refusing to expand them",
                 at: mark)
            return
        }
        // An alias puts its whole node here, so the node's own levels count toward the depth limit.
        guard stack.count + target.height <= limits.maxDepth else {
            fail("nesting is deeper than \(limits.maxDepth) levels (through alias *\(name))", at: mark)
            return
        }
        add(target, anchor: nil)
    }

    private mutating func push(_ frame: Frame) {
        guard stack.count < limits.maxDepth else {
            fail("nesting is deeper than \(limits.maxDepth) levels", at: frame.mark)
            return
        }
        stack.append(frame)
    }

    private mutating func checkCollectionTag(_ tag: String?, expected: String, at mark: YAMLMark) {
        guard let tag, tag != "!", tag != Self.coreTag + expected else { return }
        problems.append(YAMLProblem(message: Self.unsupportedTagMessage(tag), mark: mark))
    }

    private static func unsupportedTagMessage(_ tag: String) -> String {
        "unsupported tag \(shortTag(tag)); remove it (manifests hold plain strings, numbers, lists and mappings)"
    }

    private mutating func add(_ added: MeasuredNode, anchor: String?) {
        let node = added.node
        if let anchor {
            anchors[anchor] = added
        }
        guard var top = stack.popLast() else {
            documentRoot = node
            return
        }
        defer { stack.append(top) }
        top.size += added.size
        top.height = max(top.height, added.height + 1)
        top.textBytes += added.textBytes
        guard top.isMapping else {
            top.items.append(node)
            return
        }
        guard let key = top.pendingKey else {
            guard case .scalar(let scalar) = node else {
                fail("a mapping key must be a plain string, not \(node.typeDescription)", at: node.mark)
                return
            }
            top.pendingKey = scalar
            if scalar.style == .plain && scalar.text == "<<" {
                top.skipsPendingValue = true
                problems.append(YAMLProblem(message: "merge keys (<<) are not supported; write the fields out",
                                            mark: scalar.mark))
            } else if let first = top.firstMark(of: scalar.text) {
                top.skipsPendingValue = true
                problems.append(YAMLProblem(
                    message: "duplicate key \"\(scalar.text)\" (first at line \(first.line), column \(first.column))",
                    mark: scalar.mark
                ))
            } else {
                top.recordFirst(scalar)
            }
            return
        }
        if !top.skipsPendingValue {
            top.entries.append(YAMLMappingEntry(key: key, value: node))
        }
        top.pendingKey = nil
        top.skipsPendingValue = false
    }

    /// The Unicode scalars of `text`, counted on its UTF-8 bytes (every byte that does not continue a sequence
    /// starts a scalar), as libyaml counts columns.
    private static func scalarCount(_ text: String) -> Int {
        text.utf8.reduce(0) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func shortTag(_ tag: String) -> String {
        tag.hasPrefix(coreTag) ? "!!" + tag.dropFirst(coreTag.count) : tag
    }
}
