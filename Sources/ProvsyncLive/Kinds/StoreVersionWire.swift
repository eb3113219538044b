import ProvsyncModel

/// One version of a store provider as `GET /providers/{org}/{name}/versions` lists it.
package struct StoreVersion: Sendable, Hashable {
    /// The status that installs; every other one (`awaiting_wheel` … `promoting`, `failed`) does not.
    package static let published = "published"

    package var version: String
    /// Where the version is between declaration and admission, as the API spells it.
    package var status: String
    /// Why admission failed, for a `failed` version.
    package var errorMessage: String?

    package init(version: String, status: String = StoreVersion.published, errorMessage: String? = nil) {
        self.version = version
        self.status = status
        self.errorMessage = errorMessage
    }

    package var isPublished: Bool { status == Self.published }
}

/// A `ProviderVersion` item, read leniently: unknown keys are ignored, and an item without a `status`
/// (or a bare string), as older servers list only published versions, is published. An item without a
/// `version` reads as nil.
struct WireStoreVersion: WireReadable {
    var value: StoreVersion?

    init(wire: JSONValue) throws(WireError) {
        if case .string(let text) = wire {
            value = StoreVersion(version: text)
            return
        }
        let fields = try WireObject(wire)
        value = fields.string("version").map {
            StoreVersion(version: $0, status: fields.string("status") ?? StoreVersion.published,
                         errorMessage: fields.string("error_message"))
        }
    }
}
