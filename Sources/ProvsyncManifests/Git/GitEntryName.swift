/// A tree entry's name as provsync shows and keys it. git keeps names as bytes; a name that is not UTF-8
/// keeps each byte that is not part of a valid sequence as `\xNN`, so two names that differ only in such
/// bytes stay apart, and none prints as a replacement character.
enum GitEntryName {
    static func text(_ name: UnsafePointer<CChar>) -> String {
        var length = 0
        while name[length] != 0 { length += 1 }
        let bytes = UnsafeRawBufferPointer(start: name, count: length)
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        var text = ""
        var index = 0
        while index < bytes.count {
            let width = sequenceWidth(bytes, at: index)
            if width > 0, let scalar = String(validating: bytes[index..<(index + width)], as: UTF8.self) {
                text += scalar
                index += width
            } else {
                let hex = String(bytes[index], radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
                index += 1
            }
        }
        return text
    }

    /// The length the UTF-8 lead byte at `index` announces, when that many bytes follow; 0 otherwise.
    private static func sequenceWidth(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int {
        let lead = bytes[index]
        let width = switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
        return index + width <= bytes.count ? width : 0
    }
}
