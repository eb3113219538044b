import Crypto

/// SHA-256 through swift-crypto, as lowercase hex: the digests of plans and fingerprints.
package enum SHA256Digest {
    /// The digest of `bytes` as 64 lowercase hex digits.
    package static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var characters: [UInt8] = []
        characters.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// The digest of the text's UTF-8.
    package static func hex(_ text: String) -> String {
        hex(Array(text.utf8))
    }
}
