import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and writes the sandbox's world as JSON, atomically: write a temporary file beside the target,
/// fsync it, then rename it over the target, so a crash leaves the old state or the new one, never half.
enum StateFile {
    static func read(_ path: String) throws(SandboxError) -> SandboxWorld? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SandboxError("cannot read sandbox state \(path)")
        }
        do {
            return try SandboxJSON.decode(SandboxWorld.self, from: data)
        } catch {
            throw SandboxError("\(path) is not a sandbox state file: \(error)")
        }
    }

    static func write(_ world: SandboxWorld, to path: String) throws(SandboxError) {
        let data: Data
        do {
            data = try SandboxJSON.encode(world)
        } catch {
            throw SandboxError("cannot encode the sandbox state: \(error)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        // A fresh name that cannot be guessed, created only if nothing (not even a symlink) is there, readable by
        // the owner alone: the state holds every config secret and variable.
        let temporary = "\(path).tmp-\(UUID().uuidString)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SandboxError("cannot write \(temporary): errno \(errno)") }
        let written = writeAll(data, to: descriptor)
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written, synced, rename(temporary, path) == 0 else {
            let failure = errno
            unlink(temporary)
            throw SandboxError("cannot write the sandbox state to \(path): errno \(failure)")
        }
    }

    private static func writeAll(_ data: Data, to descriptor: Int32) -> Bool {
        data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let count = systemWrite(descriptor, buffer.baseAddress?.advanced(by: offset), buffer.count - offset)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return false }
                offset += count
            }
            return true
        }
    }

    /// `write(2)`, which `write(_:to:)` hides inside this type.
    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }
}

/// A sandbox failure with a message for the user.
package struct SandboxError: Error, CustomStringConvertible, Sendable {
    package var description: String
    init(_ description: String) { self.description = description }
}
