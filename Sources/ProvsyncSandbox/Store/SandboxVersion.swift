import Foundation

/// Semantic-version comparison as the store API does it (numeric major.minor.patch, prereleases first).
enum SandboxVersion {
    static func isOlder(_ left: String, than right: String) -> Bool {
        let (leftCore, leftPre) = split(left), (rightCore, rightPre) = split(right)
        if leftCore != rightCore { return leftCore.lexicographicallyPrecedes(rightCore) }
        switch (leftPre, rightPre) {
        case (nil, _): return false
        case (_?, nil): return true
        case let (l?, r?): return l < r
        }
    }

    private static func split(_ version: String) -> ([Int], String?) {
        let withoutBuild = version.split(separator: "+", maxSplits: 1).first.map(String.init) ?? version
        let parts = withoutBuild.split(separator: "-", maxSplits: 1)
        let core = (parts.first ?? "").split(separator: ".").map { Int($0) ?? 0 }
        return (core + Array(repeating: 0, count: max(0, 3 - core.count)), parts.count > 1 ? String(parts[1]) : nil)
    }
}
