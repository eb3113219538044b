import Foundation

/// Where a store provider version is between its declaration and admission (pragmatiks-sdk's
/// `VersionStatus`). Only `published` versions install.
enum VersionStatus: String, Sendable, Codable, Hashable, CaseIterable {
    case awaitingWheel = "awaiting_wheel"
    case staged, queued, admitting, promoting, published, failed
}

/// One version of a catalog entry. In a seed or state file it is a plain version string (published, its
/// times the sandbox's start) or an object: `{"version", "status", "created_at", "updated_at",
/// "published_at", "error_message"}`, all but `version` optional (`status` defaults to `published`).
struct CatalogVersion: Sendable, Hashable, Codable {
    var version: String
    var status: VersionStatus
    var createdAt: Date?
    var updatedAt: Date?
    var publishedAt: Date?
    /// Why admission failed, for a `failed` version.
    var errorMessage: String?

    init(_ version: String, status: VersionStatus = .published, createdAt: Date? = nil, updatedAt: Date? = nil,
         publishedAt: Date? = nil, errorMessage: String? = nil) {
        self.version = version
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.publishedAt = publishedAt
        self.errorMessage = errorMessage
    }

    var isPublished: Bool { status == .published }

    enum CodingKeys: String, CodingKey {
        case version, status, createdAt = "created_at", updatedAt = "updated_at", publishedAt = "published_at"
        case errorMessage = "error_message"
    }

    init(from decoder: any Decoder) throws {
        if let plain = try? decoder.singleValueContainer().decode(String.self) {
            self.init(plain)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try container.decode(String.self, forKey: .version),
            status: try container.decodeIfPresent(VersionStatus.self, forKey: .status) ?? .published,
            createdAt: try container.decodeIfPresent(Date.self, forKey: .createdAt),
            updatedAt: try container.decodeIfPresent(Date.self, forKey: .updatedAt),
            publishedAt: try container.decodeIfPresent(Date.self, forKey: .publishedAt),
            errorMessage: try container.decodeIfPresent(String.self, forKey: .errorMessage)
        )
    }

    /// A published version with nothing else recorded is written as its plain string.
    func encode(to encoder: any Encoder) throws {
        if self == CatalogVersion(version) {
            var single = encoder.singleValueContainer()
            try single.encode(version)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(publishedAt, forKey: .publishedAt)
        try container.encodeIfPresent(errorMessage, forKey: .errorMessage)
    }
}

/// A store provider of the catalog: its versions in every status, and the published ones that install but
/// end their lifecycle `failed` (broken releases; a different thing from a version whose status is
/// `failed`, which never installs).
struct CatalogEntry: Sendable, Codable, Hashable {
    /// Versions in any order.
    var versions: [CatalogVersion]
    /// Published versions whose installs go `pending` → `processing` → `failed`.
    var broken: [String]

    init(versions: [CatalogVersion], broken: [String] = []) {
        self.versions = versions
        self.broken = broken
    }

    /// Published versions given as strings.
    init(published: [String], broken: [String] = []) {
        self.init(versions: published.map { CatalogVersion($0) }, broken: broken)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        versions = try container.decodeIfPresent([CatalogVersion].self, forKey: .versions) ?? []
        broken = try container.decodeIfPresent([String].self, forKey: .broken) ?? []
    }

    func version(_ text: String) -> CatalogVersion? {
        versions.first { $0.version == text }
    }

    /// Every version, highest first by semantic-version precedence.
    var newestFirst: [CatalogVersion] {
        versions.sorted { SandboxVersion.isOlder($1.version, than: $0.version) }
    }

    /// The highest published version: what `version: null` installs.
    var latestPublished: String? {
        versions.filter(\.isPublished).map(\.version).max { SandboxVersion.isOlder($0, than: $1) }
    }
}
