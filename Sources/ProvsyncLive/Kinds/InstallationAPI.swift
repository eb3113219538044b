import ProvsyncModel

/// The store API's installation reads, as apply and the dry run use them.
package protocol InstallationReading: Sendable {
    /// `GET /providers/installed`.
    func installations() async throws(APIError) -> [LiveInstallation]
    /// Published versions of `org/name`, newest first as the API lists them.
    func versions(of providerName: String) async throws(APIError) -> [String]
    /// Every version of `org/name` the API lists, in any status, newest first.
    func catalogVersions(of providerName: String) async throws(APIError) -> [StoreVersion]
}

extension InstallationReading {
    /// For readers that know only published versions: each of them, published.
    package func catalogVersions(of providerName: String) async throws(APIError) -> [StoreVersion] {
        try await versions(of: providerName).map { StoreVersion(version: $0) }
    }
}

/// The store API's installation writes.
package protocol InstallationWriting: Sendable {
    func install(_ request: InstallRequest) async throws(APIError) -> LiveInstallation
    func upgrade(providerName: String, to version: String?) async throws(APIError) -> LiveInstallation
    func downgrade(providerName: String, to version: String) async throws(APIError) -> LiveInstallation
    func uninstall(providerName: String, cascade: Bool) async throws(APIError)
}

extension InstallationKind: KindReading {
    package static func list(with reader: LiveReader) async throws(APIError) -> [LiveInstallation] {
        try await reader.installations()
    }

    package static func sorted(_ objects: [LiveInstallation]) -> [LiveInstallation] {
        objects.sorted { $0.providerName < $1.providerName }
    }
}

extension LiveReader: InstallationReading {
    package func installations() async throws(APIError) -> [LiveInstallation] {
        try await client.fetch([WireInstallation].self, APIRequest(.get, .store, ["providers", "installed"]))
            .map(\.value)
    }

    /// One installation by `org/name`, read through the list (the API has no get-one endpoint).
    package func installation(named providerName: String) async throws(APIError) -> LiveInstallation? {
        try await installations().first { $0.providerName == providerName }
    }

    package func versions(of providerName: String) async throws(APIError) -> [String] {
        try await catalogVersions(of: providerName).filter(\.isPublished).map(\.version)
    }

    /// `GET /providers/{org}/{name}/versions`: pragmatiks-sdk's `ProviderVersion` items, or bare strings.
    package func catalogVersions(of providerName: String) async throws(APIError) -> [StoreVersion] {
        let request = APIRequest(.get, .store, ["providers"] + Self.segments(providerName) + ["versions"])
        return try await client.fetch([WireStoreVersion].self, request).compactMap(\.value)
    }
}

extension LiveWriter: InstallationWriting {
    /// `POST /providers/install`; the installation comes back `pending`.
    package func install(_ request: InstallRequest) async throws(APIError) -> LiveInstallation {
        let label = "POST /providers/install \(request.providerName)"
        let body = try APIClient.body(InstallationBodies.install(request), for: label)
        let call = APIRequest(.post, .store, ["providers", "install"], body: body, subject: request.providerName)
        return try await client.fetch(WireInstallation.self, call).value
    }

    /// `POST /providers/installed/{org}/{name}/upgrade`; nil upgrades to the latest version.
    package func upgrade(providerName: String, to version: String?) async throws(APIError) -> LiveInstallation {
        try await changeVersion(providerName, action: "upgrade", body: InstallationBodies.upgrade(to: version))
    }

    /// `POST /providers/installed/{org}/{name}/downgrade`.
    package func downgrade(providerName: String, to version: String) async throws(APIError) -> LiveInstallation {
        try await changeVersion(providerName, action: "downgrade", body: InstallationBodies.downgrade(to: version))
    }

    /// `DELETE /providers/installed/{org}/{name}?cascade=…`; a 409 while resources remain and not cascading.
    package func uninstall(providerName: String, cascade: Bool) async throws(APIError) {
        let call = APIRequest(.delete, .store, ["providers", "installed"] + LiveReader.segments(providerName),
                              query: [("cascade", cascade ? "true" : "false")])
        _ = try await client.send(call)
    }

    private func changeVersion(_ providerName: String, action: String, body: JSONValue)
        async throws(APIError) -> LiveInstallation {
        let segments = ["providers", "installed"] + LiveReader.segments(providerName) + [action]
        let data = try APIClient.body(body, for: "POST /\(segments.joined(separator: "/"))")
        return try await client.fetch(WireInstallation.self, APIRequest(.post, .store, segments, body: data)).value
    }
}

/// The JSON bodies of the installation writes. They may hold secrets (config values), so they are only
/// ever sent, never printed.
enum InstallationBodies {
    /// `POST /providers/install`; `version` is sent as null when nil (= latest).
    static func install(_ request: InstallRequest) -> JSONValue {
        .object([
            "provider_name": .string(request.providerName),
            "version": request.version.map(JSONValue.string) ?? .null,
            "resource_tier": .string(request.resourceTier.rawValue),
            "upgrade_policy": .string(request.upgradePolicy.rawValue),
            "config": .object(request.config.mapValues(JSONValue.string)),
        ])
    }

    /// `POST .../upgrade`: `{"version": v}`, null for the latest.
    static func upgrade(to version: String?) -> JSONValue {
        .object(["version": version.map(JSONValue.string) ?? .null])
    }

    /// `POST .../downgrade`: `{"target_version": v}`.
    static func downgrade(to version: String) -> JSONValue {
        .object(["target_version": .string(version)])
    }
}
