import ProvsyncModel

/// One leaf that differs between two JSON values; nil means the side has no value there.
struct LeafDifference: Equatable {
    var path: String
    var before: JSONValue?
    var after: JSONValue?
}

/// Field-by-field comparison of JSON values with dotted paths (`agent_card.skills[0].name`).
enum JSONDiff {
    static func differences(at path: String, before: JSONValue?, after: JSONValue?) -> [LeafDifference] {
        switch (before, after) {
        case let (.object(left)?, .object(right)?):
            return Set(left.keys).union(right.keys).sorted().flatMap { key in
                differences(at: "\(path).\(key)", before: left[key], after: right[key])
            }
        case let (.array(left)?, .array(right)?):
            return (0..<max(left.count, right.count)).flatMap { index in
                differences(at: "\(path)[\(index)]", before: index < left.count ? left[index] : nil,
                            after: index < right.count ? right[index] : nil)
            }
        default:
            return before == after ? [] : [LeafDifference(path: path, before: before, after: after)]
        }
    }
}
