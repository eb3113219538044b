import Foundation

/// The catalog's answers in pragmatiks-sdk 18.0.0's shapes: `ProviderVersion` items of
/// `GET /providers/{org}/{name}/versions` and the `Provider` of `GET /providers/{org}/{name}`.
/// Times not recorded in the catalog (built-in and plain-string versions) are `since`, the sandbox's start.
struct CatalogResponses {
    var prefix: String
    var name: String
    var entry: CatalogEntry
    var since: Date

    var canonical: String { "\(prefix)/\(name)" }

    /// `prefix-name` canonicalised as PEP 503 does (lower case, runs of `-`, `_` and `.` as one `-`), as
    /// the SDK's `build_distribution_name` makes it: `acme/postgres` is `acme-postgres`.
    var distributionName: String {
        var result = ""
        var inSeparatorRun = false
        for character in "\(prefix)-\(name)".lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !inSeparatorRun { result.append("-") }
                inSeparatorRun = true
            } else {
                result.append(character)
                inSeparatorRun = false
            }
        }
        return result
    }

    /// Every version, newest first.
    var versions: SandboxJSON {
        .array(entry.newestFirst.map(item))
    }

    func item(_ version: CatalogVersion) -> SandboxJSON {
        let created = version.createdAt ?? since
        var fields: [String: SandboxJSON] = [
            "prefix": .string(prefix),
            "name": .string(name),
            "canonical": .string(canonical),
            "version": .string(version.version),
            "distribution_name": .string(distributionName),
            "status": .string(version.status.rawValue),
            "created_at": .string(Timestamps.rfc3339(created)),
            "updated_at": .string(Timestamps.rfc3339(version.updatedAt ?? created)),
            "published_at": .null,
            "error_message": .null,
        ]
        if version.isPublished {
            fields["published_at"] = .string(Timestamps.rfc3339(version.publishedAt ?? version.updatedAt ?? created))
        }
        if version.status == .failed {
            fields["error_message"] = .string(version.errorMessage ?? "admission of \(version.version) failed")
        }
        return .object(fields)
    }

    /// The provider: identity, its newest published version (null when none is), when its first version
    /// was created and its last one changed; metadata the sandbox does not keep is derived from the name.
    func provider(installed: Bool) -> SandboxJSON {
        let created = entry.versions.map { $0.createdAt ?? since }.min() ?? since
        let updated = entry.versions.map { $0.updatedAt ?? $0.createdAt ?? since }.max() ?? since
        return .object([
            "prefix": .string(prefix),
            "name": .string(name),
            "canonical": .string(canonical),
            "display_name": .string(name),
            "description": .string("\(canonical) in the provsync sandbox catalog"),
            "author": .object(["organization_id": .string(prefix), "display_name": .string(prefix)]),
            "scope": .string("public"),
            "icon_url": .null,
            "readme": .null,
            "tags": .array([]),
            "latest_version": entry.latestPublished.map(SandboxJSON.string) ?? .null,
            "install_count": .int(installed ? 1 : 0),
            "created_at": .string(Timestamps.rfc3339(created)),
            "updated_at": .string(Timestamps.rfc3339(max(created, updated))),
        ])
    }
}
