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
        var position = YAMLMark(line: 1, column: 1)
        var offset = 0
        while offset < bytes.count {
            if position == mark { return offset }
            offset = advance(&position, from: offset, in: bytes)
        }
        return nil
    }

    /// The 1-based line and character column of a byte offset.
    static func mark(ofByteOffset target: Int, in bytes: UnsafeBufferPointer<UInt8>) -> YAMLMark {
        var position = YAMLMark(line: 1, column: 1)
        var offset = 0
        while offset < min(target, bytes.count) {
            offset = advance(&position, from: offset, in: bytes)
        }
        return position
    }

    /// Moves `position` past the character or line break at `offset`; returns the next offset. Lines end
    /// where libyaml ends them (LF, CR, CRLF, NEL, LS and PS), so that every mark of a file counts alike;
    /// bytes that continue a UTF-8 sequence do not move the column.
    private static func advance(_ position: inout YAMLMark, from offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let breakLength = lineBreakLength(at: offset, in: bytes)
        if breakLength > 0 {
            position.line += 1
            position.column = 1
            return offset + breakLength
        }
        if bytes[offset] & 0xC0 != 0x80 { position.column += 1 }
        return offset + 1
    }

    /// The length in bytes of the line break at `offset`, 0 when there is none.
    private static func lineBreakLength(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        func byte(_ index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }
        switch bytes[offset] {
        case UInt8(ascii: "\n"): return 1
        case UInt8(ascii: "\r"): return byte(offset + 1) == UInt8(ascii: "\n") ? 2 : 1
        case 0xC2: return byte(offset + 1) == 0x85 ? 2 : 0
        case 0xE2: return byte(offset + 1) == 0x80 && (byte(offset + 2) == 0xA8 || byte(offset + 2) == 0xA9) ? 3 : 0
        default: return 0
        }
    }
}
