import Foundation

/// ISO-8601 durations as the agent API writes `auto_stop_timeout` (`PT20M`, `PT1M30S`, `PT1H`, `P1DT2H`).
package enum ISO8601Duration {
    /// Whole seconds (fractions rounded), or nil when the text is not a duration in days, hours, minutes
    /// and seconds. Years and months have no fixed length and are refused; weeks (`P2W`) are accepted.
    package static func seconds(_ text: String) -> Int? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces).uppercased())
        guard rest.first == "P" else { return nil }
        rest = rest.dropFirst()
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        var inTime = false
        var sawComponent = false
        var lastRank = -1
        // Rank orders the designators so each appears at most once and in sequence.
        let dateUnits: [Character: (rank: Int, seconds: Double)] = ["W": (0, 604_800), "D": (1, 86_400)]
        let timeUnits: [Character: (rank: Int, seconds: Double)] = ["H": (3, 3_600), "M": (4, 60), "S": (5, 1)]
        while let first = rest.first {
            if first == "T" {
                guard !inTime else { return nil }
                inTime = true
                lastRank = max(lastRank, 2)
                rest = rest.dropFirst()
                guard !rest.isEmpty else { return nil }
                continue
            }
            let digits = rest.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }
            guard !digits.isEmpty, let value = Double(digits.replacingOccurrences(of: ",", with: ".")),
                  value.isFinite, value >= 0 else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let designator = rest.first,
                  let unit = (inTime ? timeUnits : dateUnits)[designator], unit.rank > lastRank else { return nil }
            rest = rest.dropFirst()
            lastRank = unit.rank
            total += value * unit.seconds
            sawComponent = true
        }
        guard sawComponent, total < Double(Int32.max) else { return nil }
        return Int(total.rounded())
    }
}
