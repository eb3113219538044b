import Crypto

/// Agent provider ids as the agent API derives them: the UUID made of the first 16 bytes of the SHA-256 of
/// the normalised location, in lowercase 8-4-4-4-12 form.
enum ProviderID {
    static func uuid(of text: String) -> String {
        let hex = SHA256.hash(data: Array(text.utf8)).prefix(16).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        let characters = Array(hex)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32]
        return groups.map { String(characters[$0]) }.joined(separator: "-")
    }
}
