import Foundation

/// RFC 3339 timestamps and ISO-8601 durations as the APIs write them.
enum Timestamps {
    static func rfc3339(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// `PT20M`, `PT1M30S`, `PT30S`: the agent API's form of `auto_stop_timeout`.
    static func duration(seconds: Int) -> String {
        let hours = seconds / 3600, minutes = seconds % 3600 / 60, rest = seconds % 60
        var text = "PT"
        if hours > 0 { text += "\(hours)H" }
        if minutes > 0 { text += "\(minutes)M" }
        if rest > 0 || seconds == 0 { text += "\(rest)S" }
        return text
    }
}
