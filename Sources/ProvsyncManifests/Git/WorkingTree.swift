import CLibGit2
import Foundation
import ProvsyncModel

/// The files of a repository's working tree as they are on disk, committed or not (`--worktree`).
/// Files git ignores are left out, as they would be from a commit.
struct WorkingTree: ManifestTree {
    /// The working tree's root directory, with a trailing `/`.
    let root: String
    let repository: GitRepository

    func kind(of path: String) throws(DiagnosticsError) -> TreeEntryKind? {
        // Like a commit's tree, the working tree is not entered through symlinks or submodules: a path
        // whose parent directories include one does not exist here.
        var parent = ""
        for component in path.split(separator: "/").dropLast() {
            parent = parent.isEmpty ? String(component) : "\(parent)/\(component)"
            guard try entryKind(of: parent) == .directory else { return nil }
        }
        return try entryKind(of: path)
    }

    private func entryKind(of path: String) throws(DiagnosticsError) -> TreeEntryKind? {
        let full = root + path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: full),
              let type = attributes[.type] as? FileAttributeType else { return nil }
        switch type {
        case .typeSymbolicLink:
            return .symlink
        case .typeDirectory:
            let isNestedRepository = !path.isEmpty && FileManager.default.fileExists(atPath: full + "/.git")
            return isNestedRepository ? .submodule : .directory
        case .typeRegular:
            return .file(size: (attributes[.size] as? NSNumber)?.intValue ?? 0)
        default:
            return nil
        }
    }

    func children(of directory: String) throws(DiagnosticsError) -> [(name: String, kind: TreeEntryKind)] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: root + directory)
        } catch {
            throw DiagnosticsError(.error("cannot list \(directory.isEmpty ? root : directory): \(error.localizedDescription)"))
        }
        var children: [(name: String, kind: TreeEntryKind)] = []
        for name in names.sorted() where name != ".git" {
            let path = directory.isEmpty ? name : "\(directory)/\(name)"
            guard !repository.isIgnored(path) else { continue }
            if let kind = try entryKind(of: path) {
                children.append((name, kind))
            } else if name.unicodeScalars.contains("\u{FFFD}") {
                children.append((name, .unreadableName))
            }
        }
        return children
    }

    func contents(of file: String) throws(DiagnosticsError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: root + file) else {
            throw DiagnosticsError(.error("cannot read \(file)"))
        }
        return [UInt8](data)
    }

    func knownID(of file: String) -> GitObjectID? { nil }
}
