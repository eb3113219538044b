import CLibGit2

/// A git object id: two blobs with the same id hold the same bytes, so a file whose id is the same at two
/// revisions need not be read or decoded twice.
package struct GitObjectID: Sendable, Hashable {
    private var head: UInt64
    private var middle: UInt64
    private var tail: UInt32

    init(_ oid: git_oid) {
        var head: UInt64 = 0, middle: UInt64 = 0, tail: UInt32 = 0
        withUnsafeBytes(of: oid.id) { raw in
            head = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            middle = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            tail = raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
        }
        self.head = head
        self.middle = middle
        self.tail = tail
    }

    /// The id git gives a blob of `bytes` (a working-tree file, which has no id of its own); nil when
    /// libgit2 cannot hash.
    init?(blobOf bytes: [UInt8]) {
        var oid = git_oid()
        let status = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
        guard status == 0 else {
            git_error_clear()
            return nil
        }
        self.init(oid)
    }
}
