import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback port bound but not listening: every connection to it is refused for as long as this exists
/// (no other program can take the port meanwhile).
package final class RefusingPort: Sendable {
    package let port: UInt16
    private let socketFD: Int32

    package init() throws {
        #if os(Linux)
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let socketFD = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socketFD >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0
            }
        }
        guard bound else {
            close(socketFD)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        self.socketFD = socketFD
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit {
        close(socketFD)
    }

    /// `http://127.0.0.1:PORT`, for `--api-url`.
    package var url: String { "http://127.0.0.1:\(port)" }
}
