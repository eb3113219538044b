import Crypto

/// HKDF-SHA256 and HMAC-SHA256 through swift-crypto: the keys and MACs of saved plans.
package enum KeyedDigest {
    /// A 32-byte key derived from secret `material`, a `salt` and an `info` naming its use (HKDF-SHA256).
    package static func derivedKey(from material: [UInt8], salt: [UInt8], info: [UInt8]) -> [UInt8] {
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: material), salt: salt, info: info,
                                         outputByteCount: 32)
        return key.withUnsafeBytes { Array($0) }
    }

    /// The HMAC-SHA256 of `message` under `key`, as 64 lowercase hex digits.
    package static func hex(key: [UInt8], _ message: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
        var characters: [UInt8] = []
        characters.reserveCapacity(64)
        for byte in code {
            characters.append(hexDigits[Int(byte >> 4)])
            characters.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// Whether two MACs are equal, compared in a time that does not depend on where they differ.
    package static func equal(_ left: String, _ right: String) -> Bool {
        let (a, b) = (Array(left.utf8), Array(right.utf8))
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
