import ProvsyncModel
import ProvsyncSupport

/// Decodes the manifest files of one load. Each document is found by the address it claims before it is
/// decoded; an address that later layers define again is decoded as the merge of its documents in layer
/// order (`YAMLNode.merging`), every node keeping its file. Without environments there is one layer, so each
/// document is decoded on its own, as before.
enum LayeredDecoding {
    /// One YAML document of a file, with the address it claims when it names a valid one, and its memo key
    /// when the file's blob id is known.
    struct Document: Sendable {
        var file: String
        var layer: Int
        var root: YAMLNode
        var identity: ManifestIdentity?
        var key: DecodingMemo.DocumentKey?
    }

    struct Decoded {
        /// The valid manifests, in the order their first documents were read.
        var manifests: [Manifest] = []
        var diagnostics: [Diagnostic] = []
        /// The files that hold at least one document (or a YAML problem).
        var filesWithDocuments: Set<String> = []
        /// What this decoding produced, when asked to keep it.
        var memo: DecodingMemo?
    }

    /// Decodes `files`, taking from `memo` the files and manifests it already holds (a file it holds may
    /// come unread, with no bytes); `keepsMemo` returns what was decoded for a later load to reuse.
    static func decode(_ files: [ManifestFile], limits: YAMLLimits, memo: DecodingMemo? = nil,
                       keepsMemo: Bool = false) -> Decoded {
        let parsedFiles = files.concurrentMap { file in
            file.memoKey.flatMap { memo?.files[$0] } ?? parse(file, limits: limits)
        }
        var result = Decoded()
        var documents: [Document] = []
        for (file, parsed) in zip(files, parsedFiles) {
            result.diagnostics += parsed.diagnostics
            for (index, document) in parsed.documents.enumerated() {
                let key = file.memoKey.map { DecodingMemo.DocumentKey(file: $0, index: index, layer: file.layer) }
                documents.append(Document(file: file.path, layer: file.layer, root: document.root,
                                          identity: document.identity, key: key))
            }
            if parsed.hasDocuments {
                result.filesWithDocuments.insert(file.path)
            }
        }
        let (units, clashes) = group(documents)
        result.diagnostics += clashes
        let unitKeys = units.map(unitKey)
        let decodedUnits = zip(units, unitKeys).map { ($0, $1) }.concurrentMap { unit in
            unit.1.flatMap { memo?.units[$0] } ?? decodeUnit(unit.0)
        }
        for decoded in decodedUnits {
            if let manifest = decoded.manifest { result.manifests.append(manifest) }
            result.diagnostics += decoded.diagnostics
        }
        if keepsMemo {
            var kept = DecodingMemo()
            for (file, parsed) in zip(files, parsedFiles) {
                if let key = file.memoKey { kept.files[key] = parsed }
            }
            for (key, decoded) in zip(unitKeys, decodedUnits) {
                if let key { kept.units[key] = decoded }
            }
            result.memo = kept
        }
        return result
    }

    /// One file's YAML parsed, and the identity each document claims.
    static func parse(_ file: ManifestFile, limits: YAMLLimits) -> DecodingMemo.ParsedFile {
        let parsed = YAMLParser.parse(file.bytes, limits: limits)
        var context = DecodingContext(file: file.path)
        for problem in parsed.problems {
            context.error(problem.message, at: problem.mark)
        }
        let documents = parsed.documents.compactMap(\.root).map { root in
            DecodingMemo.ParsedDocument(root: root, identity: ManifestDecoder.identity(of: root, context: context))
        }
        return DecodingMemo.ParsedFile(
            diagnostics: context.diagnostics, documents: documents,
            hasDocuments: !parsed.problems.isEmpty || parsed.documents.contains { $0.root != nil })
    }

    /// A unit's memo key: its documents' keys, when every one has one.
    private static func unitKey(_ unit: [Document]) -> [DecodingMemo.DocumentKey]? {
        let keys = unit.compactMap(\.key)
        return keys.count == unit.count ? keys : nil
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
    static func decodeUnit(_ unit: [Document]) -> DecodingMemo.DecodedUnit {
        guard let first = unit.first, let last = unit.last else { return DecodingMemo.DecodedUnit(manifest: nil, diagnostics: []) }
        guard unit.count > 1 else {
            var context = DecodingContext(file: first.file)
            let manifest = ManifestDecoder.decodeDocument(first.root, claiming: first.identity, context: &context).0
            return DecodingMemo.DecodedUnit(manifest: manifest, diagnostics: context.diagnostics)
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
        return DecodingMemo.DecodedUnit(manifest: manifest, diagnostics: context.diagnostics)
    }

    /// An address within one layer: defined twice there, it is an error.
    struct LayerAddress: Hashable {
        var address: ResourceAddress
        var layer: Int
    }
}
