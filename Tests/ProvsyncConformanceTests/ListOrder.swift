@testable import ProvsyncSandbox

/// The order of list items is the database's heap order on the real server (rows read back neither by
/// creation nor by id), so list answers are compared as sets of items matched by `id`. `next_page_token`
/// is checked against each answer's own last item instead of against the recorded value.
enum ListOrder {
    /// Both answers with their items in the recorded order and the token left out; other bodies unchanged.
    static func align(expected: SandboxJSON, actual: SandboxJSON) -> (SandboxJSON, SandboxJSON) {
        guard case .object(var recorded) = expected, case .array(let recordedItems)? = recorded["items"],
              recorded["next_page_token"] != nil,
              case .object(var answered) = actual, case .array(let answeredItems)? = answered["items"] else {
            return (expected, actual)
        }
        let rank = Dictionary(recordedItems.enumerated().compactMap { index, item in
            item["id"]?.stringValue.map { ($0, index) }
        }, uniquingKeysWith: { first, _ in first })
        let sorted = answeredItems.enumerated().sorted { left, right in
            let leftRank = left.element["id"]?.stringValue.flatMap { rank[$0] } ?? Int.max
            let rightRank = right.element["id"]?.stringValue.flatMap { rank[$0] } ?? Int.max
            return (leftRank, left.offset) < (rightRank, right.offset)
        }.map(\.element)
        recorded["next_page_token"] = nil
        answered["next_page_token"] = nil
        answered["items"] = .array(sorted)
        return (.object(recorded), .object(answered))
    }

    /// A problem when the answer's `next_page_token` is not the id of its last item (null when empty).
    static func tokenProblem(_ answer: SandboxJSON) -> String? {
        guard case .array(let items)? = answer["items"], let token = answer["next_page_token"] else { return nil }
        let last = items.last?["id"] ?? .null
        return token == last ? nil
            : "$.next_page_token: expected the last item's id \(JSONDiff.render(last)), got \(JSONDiff.render(token))"
    }
}
