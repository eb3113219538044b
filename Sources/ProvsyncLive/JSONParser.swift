import Foundation
import ProvsyncModel

/// Reads JSON text (RFC 8259) straight into a `JSONValue`. The agent API's list answers are megabytes of
/// nested cards; going through `Decodable` costs several times more, because a free-form value can only be
/// found out by trying each type in turn. Strings that are not valid UTF-8 are repaired (U+FFFD), as the
/// values are only compared and shown, never written back.
enum JSONParser {
    /// Deeper nesting than any API answer has; it bounds the recursion on hostile input.
    static let maxDepth = 512

    static func parse(_ data: Data) throws(WireError) -> JSONValue {
        let result = data.withUnsafeBytes { bytes -> Result<JSONValue, WireError> in
            var reader = Reader(bytes: bytes)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                reader.index = 3  // a UTF-8 byte order mark, which some servers send
            }
            do throws(WireError) {
                let value = try reader.value()
                reader.skipWhitespace()
                guard reader.isAtEnd else { throw reader.invalid() }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var index = 0
        var depth = 0

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        var isAtEnd: Bool { index >= bytes.count }

        /// The byte at the cursor, or 0 at the end (0 never starts or continues a valid token).
        private var current: UInt8 { index < bytes.count ? bytes[index] : 0 }

        func invalid() -> WireError {
            WireError(.notJSON)
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value() throws(WireError) -> JSONValue {
            skipWhitespace()
            switch current {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return try number()
            }
        }

        private mutating func enter() throws(WireError) {
            depth += 1
            guard depth <= JSONParser.maxDepth else { throw invalid() }
            index += 1
            skipWhitespace()
        }

        private mutating func object() throws(WireError) -> JSONValue {
            try enter()
            defer { depth -= 1 }
            var members: [String: JSONValue] = [:]
            if current == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw invalid() }
                let key = try string()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw invalid() }
                index += 1
                members[key] = try value()
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"): index += 1; return .object(members)
                default: throw invalid()
                }
            }
        }

        private mutating func array() throws(WireError) -> JSONValue {
            try enter()
            defer { depth -= 1 }
            var items: [JSONValue] = []
            if current == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                items.append(try value())
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"): index += 1; return .array(items)
                default: throw invalid()
                }
            }
        }

        private mutating func literal(_ word: StaticString) throws(WireError) {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { throw invalid() }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
                throw invalid()
            }
            index += count
        }

        /// A string at the cursor (on its opening quote). Strings without escapes, nearly all of them, are
        /// made from their bytes in one step.
        private mutating func string() throws(WireError) -> String {
            index += 1
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                index += 1
            }
            var buffer = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(decoding: buffer, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    index += 1
                    try escape(into: &buffer)
                case ..<0x20:
                    throw invalid()
                default:
                    buffer.append(byte)
                    index += 1
                }
            }
            throw invalid()
        }

        /// One escape after its backslash, appended to `buffer` as UTF-8.
        private mutating func escape(into buffer: inout [UInt8]) throws(WireError) {
            let byte = current
            index += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hexQuad()
                if (0xD800..<0xDC00).contains(scalar), current == UInt8(ascii: "\\"),
                   index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") {
                    let mark = index
                    index += 2
                    let low = try hexQuad()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = mark
                    }
                }
                buffer.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
            default:
                throw invalid()
            }
        }

        private mutating func hexQuad() throws(WireError) -> UInt32 {
            guard bytes.count - index >= 4 else { throw invalid() }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw invalid()
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        private var atDigit: Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(current) }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`: an integer when it has neither fraction
        /// nor exponent and fits, else a double (the largest finite one when it is beyond range).
        private mutating func number() throws(WireError) -> JSONValue {
            let start = index
            let negative = current == UInt8(ascii: "-")
            if negative { index += 1 }
            guard atDigit else { throw invalid() }
            var integer = 0
            var fits = true
            if current == UInt8(ascii: "0") {
                index += 1
            } else {
                while atDigit {
                    let digit = Int(current - UInt8(ascii: "0"))
                    let (shifted, overflowA) = integer.multipliedReportingOverflow(by: 10)
                    let (sum, overflowB) = negative ? shifted.subtractingReportingOverflow(digit)
                                                    : shifted.addingReportingOverflow(digit)
                    if overflowA || overflowB { fits = false }
                    integer = sum
                    index += 1
                }
            }
            var isInteger = true
            if current == UInt8(ascii: ".") {
                isInteger = false
                index += 1
                guard atDigit else { throw invalid() }
                while atDigit { index += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                isInteger = false
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard atDigit else { throw invalid() }
                while atDigit { index += 1 }
            }
            if isInteger && fits { return .integer(integer) }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard var double = Double(text) else { throw invalid() }
            // A number beyond a double's range (`1e999999`) is valid JSON: read it as the largest one, so an
            // answer is not refused for a field provsync may not even use.
            if !double.isFinite { double = double < 0 ? -Double.greatestFiniteMagnitude : .greatestFiniteMagnitude }
            // A whole number written with a fraction or an exponent (`3.0`, `1e3`) is an integer, as
            // JSONDecoder reads it: `REPLICAS: 3.0` in an answer must not differ from a manifest's `3`.
            if let whole = Int(exactly: double) { return .integer(whole) }
            return .number(double)
        }
    }
}
