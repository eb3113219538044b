import ProvsyncModel
import ProvsyncSupport

/// Decodes the manifest files of one load. Each document is found by the address it claims before it is
/// decoded; an address that later layers define again is decoded as the merge of its documents in layer
/// order (`YAMLNode.merging`), every node keeping its file. Without environments there is one layer, so each
/// document is decoded on its own, as before.
enum LayeredDecoding {
    /// One YAML document of a file, with the address it claims when it names a valid one.
    struct Document: Sendable {
        var file: String
        var layer: Int
        var root: YAMLNode
        var identity: ManifestIdentity?
    }

    struct Decoded {
        /// The valid manifests, in the order their first documents were read.
        var manifests: [Manifest] = []
        var diagnostics: [Diagnostic] = []
        /// The files that hold at least one document (or a YAML problem).
        var filesWithDocuments: Set<String> = []
    }

    static func decode(_ files: [ManifestFile], limits: YAMLLimits) -> Decoded {
        let parsed = files.concurrentMap { file in (file: file, parsed: YAMLParser.parse(file.bytes, limits: limits)) }
        var result = Decoded()
        var documents: [Document] = []
        for (file, parsed) in parsed {
            var context = DecodingContext(file: file.path)
            for problem in parsed.problems {
                context.error(problem.message, at: problem.mark)
            }
            result.diagnostics += context.diagnostics
            for root in parsed.documents.compactMap(\.root) {
                documents.append(Document(file: file.path, layer: file.layer, root: root,
                                          identity: ManifestDecoder.identity(of: root, context: context)))
            }
            if !parsed.problems.isEmpty || parsed.documents.contains(where: { $0.root != nil }) {
                result.filesWithDocuments.insert(file.path)
            }
        }
        let (units, clashes) = group(documents)
        result.diagnostics += clashes
        let decodedUnits = units.concurrentMap { decodeUnit($0) }
        for (manifest, diagnostics) in decodedUnits {
            if let manifest { result.manifests.append(manifest) }
            result.diagnostics += diagnostics
        }
        return result
    }

    /// The documents to decode together, in the order of each one's first document: one per address
    /// (its documents in layer order), and one for each document that names no valid address or whose
    /// address its own layer already defines, which is an error naming both places.
    static func group(_ documents: [Document]) -> (units: [[Document]], clashes: [Diagnostic]) {
        var units: [[Document]] = []
        var unitOfAddress: [ResourceAddress: Int] = [:]
        var firstInLayer: [LayerAddress: SourceLocation] = [:]
        var clashes: [Diagnostic] = []
        for document in documents {
            guard let identity = document.identity else {
                units.append([document])
                continue
            }
            let key = LayerAddress(address: identity.address, layer: document.layer)
            if let earlier = firstInLayer[key] {
                clashes.append(clash(identity, earlier: earlier))
                units.append([document])
                continue
            }
            firstInLayer[key] = identity.location
            if let unit = unitOfAddress[identity.address] {
                units[unit].append(document)
            } else {
                unitOfAddress[identity.address] = units.count
                units.append([document])
            }
        }
        return (units, clashes)
    }

    /// The error for a second definition of an address in one layer, naming both places.
    static func clash(_ identity: ManifestIdentity, earlier: SourceLocation) -> Diagnostic {
        .error("\(identity.address) is defined twice: here and at \(earlier)", at: identity.location)
    }

    /// The manifest of one unit, when valid, and its diagnostics.
    static func decodeUnit(_ unit: [Document]) -> (Manifest?, [Diagnostic]) {
        guard let first = unit.first, let last = unit.last else { return (nil, []) }
        guard unit.count > 1 else {
            var context = DecodingContext(file: first.file)
            return (ManifestDecoder.decodeDocument(first.root, context: &context).0, context.diagnostics)
        }
        var context = DecodingContext(file: last.file)
        var merged = first.root.stamped(file: first.file)
        for patch in unit.dropFirst() {
            let root = patch.root.stamped(file: patch.file)
            LayerPatchRules.check(root, identity: patch.identity, context: &context)
            merged = merged.merging(root)
        }
        var manifest = ManifestDecoder.decodeDocument(merged, context: &context).0
        manifest?.layers = unit.map { SourceLocation(file: $0.file, line: $0.root.mark.line, column: $0.root.mark.column) }
        return (manifest, context.diagnostics)
    }

    /// An address within one layer: defined twice there, it is an error.
    struct LayerAddress: Hashable {
        var address: ResourceAddress
        var layer: Int
    }
}
