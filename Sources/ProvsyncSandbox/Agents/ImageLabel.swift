import Foundation

/// The `beeai.dev.agent.json` label of an image's config: base64 of the agent card's JSON.
enum ImageLabel: Sendable, Hashable {
    /// A label holding this card (base64 of its JSON).
    case card([String: SandboxJSON])
    /// No such label.
    case missing
    /// A label with this text, read as the server reads it (Python's `base64.b64decode`, then JSON).
    case raw(String)

    static let name = "beeai.dev.agent.json"

    /// The card the label holds, or the 400 detail the server answers for `source`.
    func card(source: String) -> Result<[String: SandboxJSON], SandboxResponseError> {
        switch self {
        case .card(let card):
            return .success(card)
        case .missing:
            return .failure(SandboxResponseError(.detail(400, "Docker image labels must contain '\(Self.name)': \(source)")))
        case .raw(let text):
            switch PythonBase64.decode(text) {
            case .failure(let failure):
                return .failure(SandboxResponseError(.detail(400, failure.message)))
            case .success(let bytes):
                // Python's json error texts are not reproduced: a label that decodes to anything but a JSON
                // object answers the 400 in the sandbox's own words.
                guard let card = SandboxJSON.parse(Data(bytes))?.objectValue else {
                    return .failure(SandboxResponseError(.detail(400,
                        "Docker image label '\(Self.name)' does not hold an agent card (JSON object): \(source)")))
                }
                return .success(card)
            }
        }
    }
}

/// Python's `base64.b64decode(text)` (non-strict): characters outside the alphabet are skipped, decoding
/// stops at a complete pad, and the errors are CPython's `binascii` texts.
enum PythonBase64 {
    /// The text of the `binascii.Error` (or `ValueError`) Python raises.
    struct Failure: Error, Hashable {
        var message: String
    }

    static func decode(_ text: String) -> Result<[UInt8], Failure> {
        guard text.unicodeScalars.allSatisfy(\.isASCII) else {
            return .failure(Failure(message: "string argument should contain only ASCII characters"))
        }
        var output: [UInt8] = []
        var quadPosition = 0
        var pads = 0
        var leftover: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "=") {
                if quadPosition >= 2 {
                    pads += 1
                    if quadPosition + pads >= 4 { return .success(output) }
                }
                continue
            }
            guard let value = sextet(byte) else { continue }
            pads = 0
            switch quadPosition {
            case 0:
                leftover = value
                quadPosition = 1
            case 1:
                output.append(leftover << 2 | value >> 4)
                leftover = value & 0x0f
                quadPosition = 2
            case 2:
                output.append(leftover << 4 | value >> 2)
                leftover = value & 0x03
                quadPosition = 3
            default:
                output.append(leftover << 6 | value)
                leftover = 0
                quadPosition = 0
            }
        }
        switch quadPosition {
        case 0:
            return .success(output)
        case 1:
            return .failure(Failure(message: "Invalid base64-encoded string: number of data characters "
                                    + "(\(output.count / 3 * 4 + 1)) cannot be 1 more than a multiple of 4"))
        default:
            return .failure(Failure(message: "Incorrect padding"))
        }
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
