import CCurl
import Foundation

/// One request on a libcurl easy handle: its settings, the answer as it arrives and the continuation of the
/// task waiting for it. After `CurlEventLoop.submit` only the loop's thread touches it.
final class CurlTransfer: @unchecked Sendable {
    let id: Int
    let message: HTTPMessage
    let limits: TransferLimits
    private var continuation: CheckedContinuation<TransferOutcome, Never>?
    private(set) var status = 0
    private(set) var body = Data()
    private(set) var location: String?
    private(set) var retryAfter: String?
    /// Set when the answer outgrew its cap and the write callback stopped the transfer.
    private(set) var overflow: Overflow?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    enum Overflow {
        /// A successful answer longer than `maxAnswerBytes`: the request fails.
        case answer
        /// An error answer longer than `maxErrorBytes`: its beginning is kept, the rest not read.
        case error
    }

    init(id: Int, message: HTTPMessage, limits: TransferLimits,
         continuation: CheckedContinuation<TransferOutcome, Never>) {
        self.id = id
        self.message = message
        self.limits = limits
        self.continuation = continuation
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        errorBuffer.deallocate()
        if let headerList { curl_slist_free_all(headerList) }
    }

    /// Resumes the waiting task once; later calls do nothing.
    func complete(_ outcome: TransferOutcome) {
        continuation?.resume(returning: outcome)
        continuation = nil
    }

    /// libcurl's message for the last failure of this transfer.
    var errorDetail: String {
        String(cString: errorBuffer).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Sets every option of `handle` for this request. Returns false when libcurl refused one.
    func configure(_ handle: UnsafeMutableRawPointer) -> Bool {
        let me = Unmanaged.passUnretained(self).toOpaque()
        var results: [CURLcode] = []
        func long(_ option: CURLoption, _ value: Int) { results.append(provsync_curl_set_long(handle, option, value)) }
        func text(_ option: CURLoption, _ value: String) {
            results.append(value.withCString { provsync_curl_set_pointer(handle, option, $0) })
        }
        text(CURLOPT_URL, message.url.absoluteString)
        long(CURLOPT_NOSIGNAL, 1)
        text(CURLOPT_PROTOCOLS_STR, "http,https")
        long(CURLOPT_FOLLOWLOCATION, 0)
        long(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(limits.connectTimeout))
        long(CURLOPT_TIMEOUT_MS, Self.milliseconds(limits.timeout))
        long(CURLOPT_LOW_SPEED_LIMIT, 1)
        long(CURLOPT_LOW_SPEED_TIME, Int(limits.stallTimeout))
        long(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        long(CURLOPT_TCP_KEEPALIVE, 1)
        long(CURLOPT_SSL_VERIFYPEER, 1)
        long(CURLOPT_SSL_VERIFYHOST, 2)
        text(CURLOPT_ACCEPT_ENCODING, "")
        // An explicit proxy (or "" for none), so libcurl never reads the process environment itself.
        text(CURLOPT_PROXY, limits.network.proxy(forScheme: message.url.scheme ?? "https") ?? "")
        if let noProxy = limits.network.noProxy { text(CURLOPT_NOPROXY, noProxy) }
        if let bundle = limits.network.caBundle { text(CURLOPT_CAINFO, bundle) }
        if let directory = limits.network.caDirectory { text(CURLOPT_CAPATH, directory) }
        results.append(provsync_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        results.append(provsync_curl_set_callback(handle, CURLOPT_WRITEFUNCTION, curlBodyCallback))
        results.append(provsync_curl_set_pointer(handle, CURLOPT_WRITEDATA, me))
        results.append(provsync_curl_set_callback(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback))
        results.append(provsync_curl_set_pointer(handle, CURLOPT_HEADERDATA, me))
        switch message.method {
        case "GET":
            long(CURLOPT_HTTPGET, 1)
        case "POST":
            long(CURLOPT_POST, 1)
        default:
            text(CURLOPT_CUSTOMREQUEST, message.method)
        }
        if message.body != nil || message.method == "POST" {
            let body = message.body ?? Data()
            results.append(provsync_curl_set_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            // COPYPOSTFIELDS copies the bytes, so the body need not outlive this call.
            let copied = (body.isEmpty ? Data([0]) : body).withUnsafeBytes { bytes in
                provsync_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, bytes.baseAddress)
            }
            results.append(copied)
        }
        var list: UnsafeMutablePointer<curl_slist>?
        // "Expect:" turns off the 100-continue round trip libcurl makes before a body over 1 KiB.
        for line in message.headers + ["Expect:"] {
            list = curl_slist_append(list, line)
        }
        headerList = list
        results.append(provsync_curl_set_headers(handle, list))
        return results.allSatisfy { $0 == CURLE_OK }
    }

    /// The bytes of the answer's body as they arrive; returning less than their count stops the transfer.
    fileprivate func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
        let isSuccess = (200..<300).contains(status)
        let cap = isSuccess ? limits.maxAnswerBytes : limits.maxErrorBytes
        if body.count + bytes.count <= cap {
            body.append(contentsOf: bytes)
            return bytes.count
        }
        if isSuccess {
            overflow = .answer
        } else {
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes.prefix(cap - body.count)))
            overflow = .error
        }
        return 0
    }

    /// One header line of the answer. A status line starts a new answer (after a `100 Continue`, say). Returns
    /// false to stop the transfer: a successful answer announced as longer than the cap is not read at all.
    fileprivate func header(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            location = nil
            retryAfter = nil
            return true
        }
        guard let colon = line.firstIndex(of: ":") else { return true }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        switch name {
        case "location": location = value
        case "retry-after": retryAfter = value
        case "content-length" where (200..<300).contains(status):
            if let length = Int(value), length > limits.maxAnswerBytes {
                overflow = .answer
                return false
            }
        default: break
        }
        return true
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        max(1, Int((seconds * 1000).rounded(.up)))
    }
}

/// The limits and network settings of a transfer, from `APIClientOptions`.
struct TransferLimits: Sendable {
    var timeout: Double
    var connectTimeout: Double
    var stallTimeout: Double
    var maxAnswerBytes: Int
    var maxErrorBytes: Int
    var network: NetworkSettings

    init(_ options: APIClientOptions) {
        timeout = options.timeout
        connectTimeout = options.connectTimeout
        // libcurl counts the low-speed window in whole seconds.
        stallTimeout = max(1, options.stallTimeout.rounded(.up))
        maxAnswerBytes = options.maxAnswerBytes
        maxErrorBytes = options.maxErrorBytes
        network = options.network
    }
}

/// `CURLOPT_WRITEFUNCTION`: hands the bytes to the transfer named by the user data.
private let curlBodyCallback: curl_write_callback = { pointer, size, count, userData in
    guard let pointer, let userData else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData).takeUnretainedValue()
    return transfer.receive(UnsafeRawBufferPointer(start: pointer, count: size * count))
}

/// `CURLOPT_HEADERFUNCTION`: one header line at a time.
private let curlHeaderCallback: curl_write_callback = { pointer, size, count, userData in
    guard let pointer, let userData else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData).takeUnretainedValue()
    return transfer.header(UnsafeRawBufferPointer(start: pointer, count: size * count)) ? size * count : 0
}
