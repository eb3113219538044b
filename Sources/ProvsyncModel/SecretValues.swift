import Foundation

/// Every secret value one run holds: the credentials and the `Authorization` headers made of them, resolved
/// `${env:…}` values and values under `policy.sensitive`. A `Redactor` built from it hides them in output.
///
/// Values shorter than `minimumLength` characters are left out: redacting `1` or `on` would blank out those
/// characters in every line (versions, counts, words) and make the output unreadable, while a secret that
/// short is guessed in a few tries anyway, so hiding it protects nothing.
package struct SecretValues: Sendable, Hashable {
    package static let minimumLength = 4

    package private(set) var values: Set<String> = []

    package init<Values: Sequence<String>>(_ values: Values) {
        self.values = Set(values.filter { $0.count >= Self.minimumLength })
    }

    package init() {}

    package var isEmpty: Bool { values.isEmpty }

    package func union(_ other: SecretValues) -> SecretValues {
        var copy = self
        copy.values.formUnion(other.values)
        return copy
    }

    /// The credential values and the headers sent with them: the token and `Bearer <token>`; the password,
    /// `user:password`, its base64 and `Basic <base64>`. Empty values count as unset, as for `Credentials`.
    package static func credentials(token: String?, username: String?, password: String?) -> SecretValues {
        var values: [String] = []
        if let token, !token.isEmpty {
            values += [token, "Bearer \(token)"]
        }
        if let password, !password.isEmpty {
            let pair = "\(username ?? ""):\(password)"
            let encoded = Data(pair.utf8).base64EncodedString()
            values += [password, pair, encoded, "Basic \(encoded)"]
        }
        return SecretValues(values)
    }
}

/// Replaces every secret in a text with `(sensitive)`, in each spelling output may give it (escaped for a
/// format, say). Where secrets overlap or touch, the whole stretch they cover becomes one `(sensitive)`, so
/// no part of any of them is left. A secret cut off by a shortening `…` leaves its beginning right before
/// the mark; that beginning is hidden too when it is at least `minimumLength` bytes long.
package struct Redactor: Sendable {
    package static let placeholder = "(sensitive)"
    private static let ellipsis = Array("…".utf8)

    /// The spellings, longest first, as UTF-8.
    private let patterns: [[UInt8]]
    /// Pattern indices by their first four bytes (every pattern has at least four), longest first.
    private let byPrefix: [UInt32: [Int]]
    /// Whether some pattern starts with these two bytes: a quick test before the lookup.
    private let startsPattern: [Bool]

    /// `spellings` turn a value into another form in which it may be printed; the value as it is always counts.
    package init(_ secrets: SecretValues, spellings: [@Sendable (String) -> String] = []) {
        var all = Set<String>()
        for value in secrets.values {
            all.insert(value)
            for spell in spellings {
                all.insert(spell(value))
            }
        }
        patterns = all.map { Array($0.utf8) }.filter { $0.count >= SecretValues.minimumLength }
            .sorted { $0.count > $1.count }
        var byPrefix: [UInt32: [Int]] = [:]
        var startsPattern = [Bool](repeating: false, count: 1 << 16)
        for (index, pattern) in patterns.enumerated() {
            byPrefix[Self.key(pattern, at: 0), default: []].append(index)
            startsPattern[Int(pattern[0]) << 8 | Int(pattern[1])] = true
        }
        self.byPrefix = byPrefix
        self.startsPattern = startsPattern
    }

    package var isEmpty: Bool { patterns.isEmpty }

    package func redact(_ text: String) -> String {
        guard !patterns.isEmpty else { return text }
        let bytes = Array(text.utf8)
        let hidden = merged(occurrences(in: bytes) + cutOffBeginnings(in: bytes))
        guard !hidden.isEmpty else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var position = 0
        for range in hidden {
            result += bytes[position..<range.lowerBound]
            result += Self.placeholder.utf8
            position = range.upperBound
        }
        result += bytes[position...]
        return String(decoding: result, as: UTF8.self)
    }

    /// Where a pattern occurs: at each position the longest one starting there.
    private func occurrences(in bytes: [UInt8]) -> [Range<Int>] {
        guard bytes.count >= 4 else { return [] }
        var found: [Range<Int>] = []
        for start in 0...(bytes.count - 4) where startsPattern[Int(bytes[start]) << 8 | Int(bytes[start + 1])] {
            guard let candidates = byPrefix[Self.key(bytes, at: start)] else { continue }
            for index in candidates {
                let pattern = patterns[index]
                guard start + pattern.count <= bytes.count,
                      bytes[start..<(start + pattern.count)].elementsEqual(pattern) else { continue }
                found.append(start..<(start + pattern.count))
                break
            }
        }
        return found
    }

    /// The beginnings of patterns that end right before a `…`.
    private func cutOffBeginnings(in bytes: [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var mark = 0
        while mark + Self.ellipsis.count <= bytes.count {
            defer { mark += 1 }
            guard bytes[mark..<(mark + Self.ellipsis.count)].elementsEqual(Self.ellipsis) else { continue }
            let longest = patterns.lazy.compactMap { pattern -> Int? in
                stride(from: min(pattern.count - 1, mark), through: SecretValues.minimumLength, by: -1)
                    .first { bytes[(mark - $0)..<mark].elementsEqual(pattern[0..<$0]) }
            }.max()
            if let longest { found.append((mark - longest)..<mark) }
        }
        return found
    }

    /// Overlapping or touching ranges joined, in order.
    private func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    private static func key(_ bytes: [UInt8], at start: Int) -> UInt32 {
        UInt32(bytes[start]) << 24 | UInt32(bytes[start + 1]) << 16 | UInt32(bytes[start + 2]) << 8
            | UInt32(bytes[start + 3])
    }
}
