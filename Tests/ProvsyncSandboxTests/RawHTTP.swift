import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An answer read off a raw connection.
struct RawAnswer {
    var status: Int
    var body: String
}

/// Sends a request line exactly as written (URLSession would clean `//` and `/./` out of the path) to a loopback
/// port and reads until the server closes. The socket calls block, so they run on a thread of their own.
enum RawHTTP {
    static func request(_ method: String, _ target: String, to server: URL, authorization: String? = nil)
        async throws -> RawAnswer {
        guard let port = server.port else { throw RawHTTPError(description: "no port in \(server)") }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
            + "Content-Length: 0\r\n"
        if let authorization { head += "Authorization: \(authorization)\r\n" }
        let request = Array((head + "\r\n").utf8)
        let bytes = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
            Thread { continuation.resume(with: Result { try exchange(request, port: port) }) }.start()
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let statusText = text.split(separator: " ", maxSplits: 2).dropFirst().first, let status = Int(statusText),
              let split = text.range(of: "\r\n\r\n") else {
            throw RawHTTPError(description: "no HTTP answer: \(text.prefix(200))")
        }
        return RawAnswer(status: status, body: String(text[split.upperBound...]))
    }

    private static func exchange(_ request: [UInt8], port: Int) throws -> [UInt8] {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        let flags: Int32 = 0
        #endif
        guard descriptor >= 0 else { throw RawHTTPError(description: "socket: errno \(errno)") }
        defer { close(descriptor) }
        // A guard against a hang, not a measure of time: long enough for a busy 2-core machine.
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw RawHTTPError(description: "connect: errno \(errno)") }
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, flags) }
            guard count > 0 else { throw RawHTTPError(description: "send: errno \(errno)") }
            sent += count
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            answer += buffer[0..<count]
        }
        return answer
    }
}

struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
}
