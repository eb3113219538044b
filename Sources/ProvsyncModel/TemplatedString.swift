/// A manifest string that may contain `${env:NAME}` references, resolved at plan time.
///
/// `$${` in a manifest stands for a literal `${` and is already unescaped in `literal` segments.
/// A string with any reference is sensitive: its resolved value is redacted in every output.
/// `${env:NAME:-}` allows an empty value; plain `${env:NAME}` refuses one, as it refuses an unset variable
/// (CI expands a missing secret, and every secret in a fork's pull request, to `""`).
package struct TemplatedString: Sendable, Hashable, Codable {
    package enum Segment: Sendable, Hashable, Codable {
        case literal(String)
        case environment(name: String, location: SourceLocation, allowsEmpty: Bool = false)
    }

    package var segments: [Segment]

    package init(segments: [Segment]) {
        self.segments = segments
    }

    /// A string with no references.
    package init(literal: String) {
        self.segments = literal.isEmpty ? [] : [.literal(literal)]
    }

    /// True when the value comes, at least in part, from the environment.
    package var isSensitive: Bool {
        segments.contains { if case .environment = $0 { true } else { false } }
    }

    /// The names and places of the environment variables this string reads.
    package var references: [(name: String, location: SourceLocation)] {
        segments.compactMap {
            if case .environment(let name, let location, _) = $0 { (name, location) } else { nil }
        }
    }

    /// The string when it has no references; nil otherwise.
    package var literalValue: String? {
        guard !isSensitive else { return nil }
        return segments.map { if case .literal(let text) = $0 { text } else { "" } }.joined()
    }

    /// Substitutes every reference from `environment`. Each unset variable, and each empty one not written
    /// `${env:NAME:-}`, is an error at its reference.
    package func resolve(in environment: [String: String]) -> Result<String, DiagnosticsError> {
        var text = ""
        var missing: [Diagnostic] = []
        for segment in segments {
            switch segment {
            case .literal(let literal):
                text += literal
            case .environment(let name, let location, let allowsEmpty):
                if let value = environment[name], !value.isEmpty || allowsEmpty {
                    text += value
                } else if environment[name] != nil {
                    missing.append(.error(
                        "environment variable \(name) is empty; an empty value would blank the field (CI expands a "
                            + "missing secret, and every secret in a fork's pull request, to \"\"): set it, or write "
                            + "${env:\(name):-} if empty is meant", at: location))
                } else {
                    missing.append(.error("environment variable \(name) is not set", at: location))
                }
            }
        }
        return missing.isEmpty ? .success(text) : .failure(DiagnosticsError(missing))
    }
}
