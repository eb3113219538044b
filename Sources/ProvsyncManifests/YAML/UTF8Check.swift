/// Locating bytes in a UTF-8 text, for messages about encoding.
enum UTF8Check {
    /// The first byte sequence that is not UTF-8, as a problem at its line and column; nil when valid.
    static func firstInvalidSequence(in bytes: [UInt8]) -> YAMLProblem? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput:
                return nil
            case .error:
                let byte = offset < bytes.count ? bytes[offset] : 0
                let hex = String(byte, radix: 16, uppercase: true)
                let position = bytes.withUnsafeBufferPointer { UTF8Check.mark(ofByteOffset: offset, in: $0) }
                return YAMLProblem(
                    message: "file is not valid UTF-8 (byte 0x\(hex.count == 1 ? "0" + hex : hex))",
                    mark: position
                )
            }
        }
    }

    /// The byte offset of a 1-based line and character column; nil when the text has no such place.
    static func byteOffset(of mark: YAMLMark, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var line = 1
        var column = 1
        // Only bytes that start a character move the column; continuation bytes (10xxxxxx) do not.
        for (offset, byte) in bytes.enumerated() where byte & 0xC0 != 0x80 {
            if line == mark.line && column == mark.column { return offset }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }

    /// The 1-based line and character column of a byte offset.
    static func mark(ofByteOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> YAMLMark {
        var line = 1
        var column = 1
        for byte in bytes.prefix(max(0, offset)) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return YAMLMark(line: line, column: column)
    }
}
