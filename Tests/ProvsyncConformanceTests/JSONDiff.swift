@testable import ProvsyncSandbox

/// The first place two JSON values differ, skipping volatile paths (`$.items[*].state` style).
enum JSONDiff {
    static func firstDifference(expected: SandboxJSON, actual: SandboxJSON, volatile: Set<String>,
                                path: String = "$") -> String? {
        if volatile.contains(pattern(path)) { return nil }
        switch (expected, actual) {
        case (.object(let left), .object(let right)):
            for key in Set(left.keys).union(right.keys).sorted() {
                let child = "\(path).\(key)"
                if volatile.contains(pattern(child)) { continue }
                guard let leftValue = left[key] else { return "\(child): expected absent, got \(render(right[key]))" }
                guard let rightValue = right[key] else { return "\(child): expected \(render(leftValue)), got absent" }
                if let difference = firstDifference(expected: leftValue, actual: rightValue, volatile: volatile,
                                                    path: child) {
                    return difference
                }
            }
            return nil
        case (.array(let left), .array(let right)):
            for index in 0..<min(left.count, right.count) {
                if let difference = firstDifference(expected: left[index], actual: right[index], volatile: volatile,
                                                    path: "\(path)[\(index)]") {
                    return difference
                }
            }
            if left.count != right.count {
                return "\(path): expected \(left.count) items, got \(right.count)"
            }
            return nil
        case (.int(let left), .double(let right)) where Double(left) == right: return nil
        case (.double(let left), .int(let right)) where left == Double(right): return nil
        default:
            return expected == actual ? nil : "\(path): expected \(render(expected)), got \(render(actual))"
        }
    }

    /// `$.items[3].state` → `$.items[*].state`.
    static func pattern(_ path: String) -> String {
        var result = ""
        var inIndex = false
        for character in path {
            if character == "[" { inIndex = true; result += "[*]"; continue }
            if character == "]" { inIndex = false; continue }
            if !inIndex { result.append(character) }
        }
        return result
    }

    static func render(_ value: SandboxJSON?) -> String {
        guard let value else { return "absent" }
        let text = String(decoding: JSONWriter.bytes(value), as: UTF8.self)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    /// Replaces `from` by `to` inside every string.
    static func replacing(_ from: String, with to: String, in value: SandboxJSON) -> SandboxJSON {
        switch value {
        case .string(let text): .string(text.replacingOccurrences(of: from, with: to))
        case .array(let items): .array(items.map { replacing(from, with: to, in: $0) })
        case .object(let object): .object(object.mapValues { replacing(from, with: to, in: $0) })
        default: value
        }
    }
}
