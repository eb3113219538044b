/// Where and why Python's `json` module rejects a text: FastAPI reports that offset and message in a
/// `json_invalid` issue.
struct JSONErrorLocator {
    private let text: [Unicode.Scalar]
    private var index = 0

    /// The character offset and the message of the first error, or nil when the text is valid JSON.
    static func locate(_ text: String) -> (offset: Int, message: String)? {
        var locator = JSONErrorLocator(text: Array(text.unicodeScalars))
        do {
            try locator.value()
            locator.skipSpace()
            if locator.index < locator.text.count { return (locator.index, "Extra data") }
            return nil
        } catch {
            return (error.offset, error.message)
        }
    }

    private init(text: [Unicode.Scalar]) { self.text = text }

    private struct Failure: Error {
        var offset: Int
        var message: String
    }

    private var current: Unicode.Scalar? { index < text.count ? text[index] : nil }

    private mutating func skipSpace() {
        while let scalar = current, [" ", "\t", "\n", "\r"].contains(scalar) { index += 1 }
    }

    private mutating func value() throws(Failure) {
        skipSpace()
        switch current {
        case "{": try object()
        case "[": try array()
        case "\"": try string()
        default:
            for word in ["true", "false", "null", "NaN", "Infinity", "-Infinity"] where matches(word) {
                index += word.unicodeScalars.count
                return
            }
            guard number() else { throw Failure(offset: index, message: "Expecting value") }
        }
    }

    private func matches(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        return index + scalars.count <= text.count && Array(text[index..<index + scalars.count]) == scalars
    }

    private mutating func number() -> Bool {
        let start = index
        if current == "-" { index += 1 }
        let digitsStart = index
        while let scalar = current, ("0"..."9").contains(scalar) { index += 1 }
        guard index > digitsStart else { index = start; return false }
        if current == ".", index + 1 < text.count, ("0"..."9").contains(text[index + 1]) {
            index += 1
            while let scalar = current, ("0"..."9").contains(scalar) { index += 1 }
        }
        if current == "e" || current == "E" {
            var probe = index + 1
            if probe < text.count, text[probe] == "+" || text[probe] == "-" { probe += 1 }
            if probe < text.count, ("0"..."9").contains(text[probe]) {
                index = probe
                while let scalar = current, ("0"..."9").contains(scalar) { index += 1 }
            }
        }
        return true
    }

    private mutating func string() throws(Failure) {
        let start = index
        index += 1
        while let scalar = current {
            if scalar == "\"" { index += 1; return }
            if scalar == "\\" { index += 2; continue }
            if scalar.value < 0x20 { throw Failure(offset: index, message: "Invalid control character at") }
            index += 1
        }
        throw Failure(offset: start, message: "Unterminated string starting at")
    }

    private mutating func object() throws(Failure) {
        index += 1
        skipSpace()
        if current == "}" { index += 1; return }
        while true {
            skipSpace()
            guard current == "\"" else {
                throw Failure(offset: index, message: "Expecting property name enclosed in double quotes")
            }
            try string()
            skipSpace()
            guard current == ":" else { throw Failure(offset: index, message: "Expecting ':' delimiter") }
            index += 1
            try value()
            skipSpace()
            if current == "}" { index += 1; return }
            guard current == "," else { throw Failure(offset: index, message: "Expecting ',' delimiter") }
            index += 1
        }
    }

    private mutating func array() throws(Failure) {
        index += 1
        skipSpace()
        if current == "]" { index += 1; return }
        while true {
            try value()
            skipSpace()
            if current == "]" { index += 1; return }
            guard current == "," else { throw Failure(offset: index, message: "Expecting ',' delimiter") }
            index += 1
        }
    }
}
