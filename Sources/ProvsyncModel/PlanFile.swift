import Foundation

/// The plan as a file: the spec's JSON plan (`plan --format json`), and with `saved` also what `apply PLANFILE`
/// needs to re-plan and to refuse a stale plan (`plan --out`), and a `seal` over all of it. Versioned by
/// `format_version`; holds no secret value (sensitive values are `"(sensitive)"`; staleness is told by digests
/// keyed with a `PlanKey`, or without one by salted digests that leave secrets out).
package struct PlanFile: Sendable, Hashable, Codable {
    package var formatVersion: String
    package var source: Source
    /// Every action of the spec's table, with its count (0 included).
    package var summary: [String: Int]
    package var changes: [Change]
    package var unmanaged: [Unmanaged]
    /// Why apply refuses the whole plan (more deletes than allowed); absent when it does not.
    package var refused: String?
    /// `plan --changed-only`: the addresses planned; absent for a plan of everything.
    package var changedOnly: [String]?
    /// Present in saved plans only.
    package var saved: Saved?
    /// Saved plans only: the MAC of everything else in the file (`checkSeal` checks it).
    package var seal: String?

    /// Where the manifests came from.
    package struct Source: Sendable, Hashable, Codable {
        package var repo: String
        package var ref: String
        package var commit: String?
        package var worktree: Bool
        /// `--env`; left out without one.
        package var environment: String?

        package init(repo: String, ref: String, commit: String?, worktree: Bool, environment: String? = nil) {
            self.repo = repo
            self.ref = ref
            self.commit = commit
            self.worktree = worktree
            self.environment = environment
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            repo = try container.decodeIfPresent(String.self, forKey: .repo) ?? ""
            ref = try container.decode(String.self, forKey: .ref)
            commit = try container.decodeIfPresent(String.self, forKey: .commit)
            worktree = try container.decodeIfPresent(Bool.self, forKey: .worktree) ?? false
            environment = try container.decodeIfPresent(String.self, forKey: .environment)
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(repo, forKey: .repo)
            try container.encode(ref, forKey: .ref)
            try container.encode(commit, forKey: .commit)
            try container.encode(worktree, forKey: .worktree)
            try container.encodeIfPresent(environment, forKey: .environment)
        }

        private enum CodingKeys: String, CodingKey { case repo, ref, commit, worktree, environment }
    }

    /// One planned change.
    package struct Change: Sendable, Hashable, Codable {
        package var address: String
        package var kind: String
        package var action: String
        package var reason: String
        package var manifest: ManifestPlace
        package var differences: [Difference]
        /// Why apply refuses the change, when it does.
        package var refused: String?
        /// With `plan --base`: whether the base plans the same change.
        package var preExisting: Bool?
        /// Saved plans only: the live object's fingerprint as `PlannedChange.savedFingerprint` (null when it
        /// did not exist).
        package var liveFingerprint: String??

        package init(address: String, kind: String, action: String, reason: String, manifest: ManifestPlace,
                     differences: [Difference], refused: String? = nil, preExisting: Bool? = nil,
                     liveFingerprint: String?? = nil) {
            self.address = address
            self.kind = kind
            self.action = action
            self.reason = reason
            self.manifest = manifest
            self.differences = differences
            self.refused = refused
            self.preExisting = preExisting
            self.liveFingerprint = liveFingerprint
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            address = try container.decode(String.self, forKey: .address)
            kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? ""
            action = try container.decode(String.self, forKey: .action)
            reason = try container.decodeIfPresent(String.self, forKey: .reason) ?? ""
            manifest = try container.decodeIfPresent(ManifestPlace.self, forKey: .manifest) ?? ManifestPlace(file: "", line: 0)
            differences = try container.decodeIfPresent([Difference].self, forKey: .differences) ?? []
            refused = try container.decodeIfPresent(String.self, forKey: .refused)
            preExisting = try container.decodeIfPresent(Bool.self, forKey: .preExisting)
            liveFingerprint = container.contains(.liveFingerprint)
                ? .some(try container.decodeIfPresent(String.self, forKey: .liveFingerprint)) : nil
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(address, forKey: .address)
            try container.encode(kind, forKey: .kind)
            try container.encode(action, forKey: .action)
            try container.encode(reason, forKey: .reason)
            try container.encode(manifest, forKey: .manifest)
            try container.encode(differences, forKey: .differences)
            try container.encodeIfPresent(refused, forKey: .refused)
            try container.encodeIfPresent(preExisting, forKey: .preExisting)
            if let liveFingerprint {
                try container.encode(liveFingerprint, forKey: .liveFingerprint)
            }
        }

        private enum CodingKeys: String, CodingKey {
            case address, kind, action, reason, manifest, differences, refused
            case preExisting = "pre_existing", liveFingerprint = "live_fingerprint"
        }
    }

    /// A manifest's file and the line its document starts on.
    package struct ManifestPlace: Sendable, Hashable, Codable {
        package var file: String
        package var line: Int
    }

    /// One differing field: `before` is the live value, `after` the desired one; null where absent,
    /// `"(sensitive)"` for a secret.
    package struct Difference: Sendable, Hashable, Codable {
        package var path: String
        package var before: JSONValue
        package var after: JSONValue
        /// True when a side is redacted to `"(sensitive)"`; nil (left out of the JSON) otherwise.
        package var sensitive: Bool?
        /// The layer file and line that set the desired value, for a manifest patched by environment layers.
        package var setAt: ManifestPlace?

        package init(path: String, before: JSONValue, after: JSONValue, sensitive: Bool? = nil,
                     setAt: ManifestPlace? = nil) {
            self.path = path
            self.before = before
            self.after = after
            self.sensitive = sensitive
            self.setAt = setAt
        }

        private enum CodingKeys: String, CodingKey {
            case path, before, after, sensitive, setAt = "set_at"
        }
    }

    /// A live object no manifest manages.
    package struct Unmanaged: Sendable, Hashable, Codable {
        package var address: String
    }

    /// What a saved plan adds: the salt of its digests, where their key came from, the digests apply
    /// compares, and the options the plan was made with (apply keeps them).
    package struct Saved: Sendable, Hashable, Codable {
        package var salt: String
        /// Where the key material came from (`PlanKeyMaterial.source`), or `none`.
        package var keySource: String
        /// `PlanKey.check` of the key; nil without one.
        package var keyCheck: String?
        package var desiredDigest: String
        package var unchangedFingerprints: [String: String]
        package var targets: [String]
        package var allowReplace: Bool
        package var maxDeletes: Int?
        package var cascade: Bool

        /// `keySource` of a plan made without key material.
        package static let noKey = "none"

        package init(salt: String, key: PlanKey?, desiredDigest: String, unchangedFingerprints: [String: String],
                     options: SavedPlanOptions) {
            self.salt = salt
            keySource = key?.source ?? Self.noKey
            keyCheck = key?.check
            self.desiredDigest = desiredDigest
            self.unchangedFingerprints = unchangedFingerprints
            targets = options.targets
            allowReplace = options.allowReplace
            maxDeletes = options.maxDeletes
            cascade = options.cascade
        }

        /// The options the plan was made with.
        package var options: SavedPlanOptions {
            SavedPlanOptions(targets: targets, allowReplace: allowReplace, maxDeletes: maxDeletes, cascade: cascade)
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            salt = try container.decode(String.self, forKey: .salt)
            keySource = try container.decode(String.self, forKey: .keySource)
            keyCheck = try container.decodeIfPresent(String.self, forKey: .keyCheck)
            desiredDigest = try container.decode(String.self, forKey: .desiredDigest)
            unchangedFingerprints = try container.decode([String: String].self, forKey: .unchangedFingerprints)
            targets = try container.decodeIfPresent([String].self, forKey: .targets) ?? []
            allowReplace = try container.decodeIfPresent(Bool.self, forKey: .allowReplace) ?? false
            maxDeletes = try container.decodeIfPresent(Int.self, forKey: .maxDeletes)
            cascade = try container.decodeIfPresent(Bool.self, forKey: .cascade) ?? false
        }

        private enum CodingKeys: String, CodingKey {
            case salt, targets, cascade, desiredDigest = "desired_digest", unchangedFingerprints = "unchanged_fingerprints"
            case allowReplace = "allow_replace", keySource = "key_source", keyCheck = "key_check"
            case maxDeletes = "max_deletes"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case source, summary, changes, unmanaged, refused, saved, seal, formatVersion = "format_version"
        case changedOnly = "changed_only"
    }
}

/// What a saved plan was made with beyond the manifests, so `apply PLANFILE` plans again alike.
package struct SavedPlanOptions: Sendable, Hashable {
    package var targets: [String]
    package var allowReplace: Bool
    /// `--max-deletes`.
    package var maxDeletes: Int?
    /// `--cascade`.
    package var cascade: Bool

    package init(targets: [String] = [], allowReplace: Bool = false, maxDeletes: Int? = nil, cascade: Bool = false) {
        self.targets = targets
        self.allowReplace = allowReplace
        self.maxDeletes = maxDeletes
        self.cascade = cascade
    }
}

extension PlanFile {
    /// The file of `plan`; with `saved` (the options it was made with) a saved plan, sealed with the plan's
    /// key, else the JSON plan.
    package init(_ plan: Plan, saved options: SavedPlanOptions? = nil) {
        formatVersion = options == nil ? Plan.formatVersion : Plan.savedFormatVersion
        source = Source(repo: plan.source.repository, ref: plan.source.ref, commit: plan.source.commit,
                        worktree: plan.source.isWorkingTree, environment: plan.source.environment)
        summary = Dictionary(uniqueKeysWithValues: PlanAction.allCases.map { action in
            (action.rawValue, plan.changes.count { $0.action == action })
        })
        changes = plan.changes.map { change in
            Change(
                address: change.address.description, kind: change.address.kind.rawValue, action: change.action.rawValue,
                reason: change.reason, manifest: ManifestPlace(file: change.manifest.file, line: change.manifest.line),
                differences: change.differences.map {
                    Difference(path: $0.path, before: $0.before.shown, after: $0.after.shown,
                               sensitive: $0.isRedacted ? true : nil,
                               setAt: $0.setAt.map { ManifestPlace(file: $0.file, line: $0.line) })
                },
                refused: change.refusal, preExisting: change.isPreExisting,
                liveFingerprint: options == nil ? nil : .some(change.savedFingerprint)
            )
        }
        unmanaged = plan.unmanaged.map { Unmanaged(address: $0.description) }
        refused = plan.refusal
        changedOnly = plan.scope?.map(\.description)
        saved = options.map {
            Saved(salt: plan.salt, key: plan.key, desiredDigest: plan.desiredDigest,
                  unchangedFingerprints: plan.unchangedFingerprints, options: $0)
        }
        seal = nil
        if options != nil {
            // Only a value JSON cannot hold (a non-finite number) fails here, and `encoded()` then fails too.
            seal = try? computedSeal(key: plan.key)
        }
    }

    /// Pretty-printed JSON with sorted keys.
    package func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a plan saved with `plan --out` and checks its seal with the key `material` gives (nil: none);
    /// the error says what is wrong with the file.
    package static func readSaved(_ data: Data, keyMaterial material: PlanKeyMaterial?) throws(SavedPlanError)
        -> PlanFile {
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else { throw .notAPlan }
        guard header.saved != nil else { throw .notSaved }
        guard header.formatVersion == Plan.savedFormatVersion else {
            throw SavedPlanError("this saved plan has format_version \(header.formatVersion)"
                                 + (header.formatVersion == "1" ? " (from an older provsync, without a seal)" : "")
                                 + "; this provsync reads \(Plan.savedFormatVersion): run `provsync plan --out` again")
        }
        guard let file = try? JSONDecoder().decode(PlanFile.self, from: data) else { throw .notAPlan }
        try file.checkSeal(keyMaterial: material)
        return file
    }

    /// The addresses of a `--changed-only` plan (`changed_only`), the only objects `apply PLANFILE` reads in
    /// detail and plans again; nil for a plan of everything. An entry that is no address is an error (the
    /// seal covers the list, so only a file provsync did not write can hold one).
    package func scope() throws(SavedPlanError) -> Set<ResourceAddress>? {
        guard let changedOnly else { return nil }
        var scope: Set<ResourceAddress> = []
        for text in changedOnly {
            guard let address = ResourceAddress(parsing: text) else {
                throw SavedPlanError("the plan's changed_only names \(text), which is not a provsync address")
            }
            scope.insert(address)
        }
        return scope
    }

    /// What `readSaved` looks at first: enough to tell a JSON plan or an older saved plan.
    private struct Header: Decodable {
        var formatVersion: String
        var saved: JSONValue?

        private enum CodingKeys: String, CodingKey { case saved, formatVersion = "format_version" }
    }

    /// Why `plan`, made again now, is not this saved one; nil when it is the same.
    package func staleness(comparedWith plan: Plan) -> String? {
        guard let saved else { return "this is not a saved plan" }
        if plan.desiredDigest != saved.desiredDigest {
            return "the manifests or the environment variables they read have changed"
        }
        struct Key: Hashable {
            var address: String
            var action: String
            var liveFingerprint: String?
        }
        let then = Set(changes.map { Key(address: $0.address, action: $0.action, liveFingerprint: $0.liveFingerprint ?? nil) })
        let now = Set(plan.changes.map {
            Key(address: $0.address.description, action: $0.action.rawValue, liveFingerprint: $0.savedFingerprint)
        })
        if now != then {
            let moved = Set(now.symmetricDifference(then).map(\.address)).sorted()
            return "live state changed for \(moved.joined(separator: ", "))"
        }
        if plan.unchangedFingerprints != saved.unchangedFingerprints {
            let moved = Set(plan.unchangedFingerprints.keys).union(saved.unchangedFingerprints.keys)
                .filter { plan.unchangedFingerprints[$0] != saved.unchangedFingerprints[$0] }.sorted()
            return "live state changed for \(moved.joined(separator: ", "))"
        }
        return nil
    }
}

extension PlanValue {
    /// The value as every output shows it: null when absent, the value itself, or `"(sensitive)"`.
    package var shown: JSONValue {
        switch self {
        case .absent: .null
        case .value(let json): json
        case .sensitive: .string(PlanValue.redacted)
        }
    }
}

/// Why a saved plan cannot be used.
package struct SavedPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }

    /// A file that is not a plan provsync wrote.
    package static let notAPlan = SavedPlanError("not a saved provsync plan (write one with `provsync plan --out FILE`)")
    /// A JSON plan given where a saved plan is needed.
    package static let notSaved = SavedPlanError(
        "this is a plan printed with --format json, not a saved plan; save one with --out")
}
