import ArgumentParser

/// A duration on the command line: seconds (`600`, `1.5`), or with units (`90s`, `15m`, `1h`, `1m30s`).
struct WaitDuration: ExpressibleByArgument, Sendable {
    var seconds: Double

    init(seconds: Double) {
        self.seconds = seconds
    }

    init?(argument: String) {
        if let plain = Double(argument) {
            guard plain.isFinite else { return nil }
            seconds = plain
            return
        }
        let units: [Character: Double] = ["h": 3600, "m": 60, "s": 1]
        var total = 0.0
        var number = ""
        var lastUnit = Double.infinity
        for character in argument {
            if character.isNumber || character == "." {
                number.append(character)
            } else if let unit = units[character], let value = Double(number), unit < lastUnit {
                total += value * unit
                lastUnit = unit
                number = ""
            } else {
                return nil
            }
        }
        guard number.isEmpty, lastUnit.isFinite else { return nil }
        seconds = total
    }

    var defaultValueDescription: String { "\(Int(seconds))s" }
}
