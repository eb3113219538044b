import ProvsyncModel

/// What a later layer's document may hold when it deletes what an earlier layer defines (`ensure: absent`):
/// only `apiVersion`, `kind`, `ensure` and the identity fields of the spec, so that a delete never reads as
/// a change of values.
enum LayerPatchRules {
    static let deletingFields = ["apiVersion", "kind", "ensure", "spec"]

    /// Reports every other field of a deleting patch at its key; a patch that does not delete is not checked.
    static func check(_ patch: YAMLNode, identity: ManifestIdentity?, context: inout DecodingContext) {
        guard let identity, patch.value(forKey: "ensure").flatMap(DecodingContext.literalText) == Ensure.absent.rawValue,
              case .mapping(let entries, _) = patch else { return }
        let identityFields = identity.address.kind.decoding.identityFields
        let allowed = "apiVersion, kind, ensure and " + identityFields.map { "spec.\($0)" }.joined(separator: " or ")
        func report(_ path: String, at mark: YAMLMark) {
            context.error("\"\(path)\": this layer deletes \(identity.address) (ensure: absent), so it names only "
                          + "\(allowed); remove it", at: mark)
        }
        for entry in entries where !deletingFields.contains(entry.key.text) {
            report(entry.key.text, at: entry.key.mark)
        }
        guard case .mapping(let spec, _) = patch.value(forKey: "spec") else { return }
        for entry in spec where !identityFields.contains(entry.key.text) {
            report("spec.\(entry.key.text)", at: entry.key.mark)
        }
    }
}
