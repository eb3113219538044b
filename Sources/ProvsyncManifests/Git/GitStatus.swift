import CLibGit2
import Foundation

extension GitRepository {
    /// The files under `paths` (repository-relative; empty means everywhere) whose working-tree or index
    /// content differs from HEAD, untracked ones included; empty for a bare repository or when git cannot say.
    func uncommittedFiles(under paths: [String]) -> [String] {
        guard workingDirectory != nil else { return [] }
        var options = git_status_options()
        guard git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)) == 0 else {
            git_error_clear()
            return []
        }
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        var specs = paths.filter { $0 != "." && !$0.isEmpty }.map { strdup($0) }
        defer { specs.forEach { free($0) } }
        var list: OpaquePointer?
        let status = specs.withUnsafeMutableBufferPointer { buffer -> Int32 in
            options.pathspec = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return git_status_list_new(&list, handle, &options)
        }
        guard status == 0, let list else {
            git_error_clear()
            return []
        }
        defer { git_status_list_free(list) }
        var files: [String] = []
        for index in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, index), entry.pointee.status != GIT_STATUS_CURRENT else { continue }
            let delta = entry.pointee.index_to_workdir ?? entry.pointee.head_to_index
            if let path = delta?.pointee.new_file.path ?? delta?.pointee.old_file.path {
                files.append(String(cString: path))
            }
        }
        return files.sorted()
    }
}
