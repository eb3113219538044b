import ProvsyncModel

/// What layering manifests needs of YAML trees: reading one key, naming each node's file, and laying one
/// tree over another.
extension YAMLNode {
    /// The value of `key` in a mapping; nil for a missing key or a node that is no mapping.
    func value(forKey key: String) -> YAMLNode? {
        guard case .mapping(let entries, _) = self else { return nil }
        return entries.first { $0.key.text == key }?.value
    }

    /// True for an explicit YAML null (`null`, `~` or nothing after the key).
    var isNull: Bool {
        if case .scalar(let scalar) = self, scalar.resolved == .null { return true }
        return false
    }

    /// The tree with every mark naming `file`, so that a tree merged from several files keeps each value's file.
    func stamped(file: String) -> YAMLNode {
        switch self {
        case .scalar(var scalar):
            scalar.mark.file = file
            return .scalar(scalar)
        case .mapping(let entries, var mark):
            mark.file = file
            return .mapping(entries.map { entry in
                var key = entry.key
                key.mark.file = file
                return YAMLMappingEntry(key: key, value: entry.value.stamped(file: file))
            }, mark: mark)
        case .sequence(let items, var mark):
            mark.file = file
            return .sequence(items.map { $0.stamped(file: file) }, mark: mark)
        }
    }

    /// `patch` laid over this tree: two mappings merge key by key (recursively), where an explicit null in
    /// `patch` removes the key; anything else in `patch` (a scalar, a list, a mapping over a non-mapping)
    /// replaces the value. Keys keep their order, new ones come last; a merged key or mapping takes the
    /// patch's place, as the layer that set it last.
    func merging(_ patch: YAMLNode) -> YAMLNode {
        guard case .mapping(var merged, _) = self, case .mapping(let entries, let mark) = patch else { return patch }
        var index = Dictionary(merged.enumerated().map { ($1.key.text, $0) }, uniquingKeysWith: { first, _ in first })
        var removed: Set<Int> = []
        for entry in entries {
            if let at = index[entry.key.text] {
                if entry.value.isNull {
                    removed.insert(at)
                    index[entry.key.text] = nil
                } else {
                    merged[at] = YAMLMappingEntry(key: entry.key, value: merged[at].value.merging(entry.value))
                }
            } else if !entry.value.isNull {
                index[entry.key.text] = merged.count
                merged.append(entry)
            }
        }
        if !removed.isEmpty {
            merged = merged.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        }
        return .mapping(merged, mark: mark)
    }
}
