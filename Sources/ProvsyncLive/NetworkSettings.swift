/// The proxy and certificate settings of the environment, read the way the `curl` tool reads them, so that a
/// CI runner behind a proxy or with its own CA works without provsync settings of its own.
///
/// - Proxy for `https` URLs: `https_proxy`, else `HTTPS_PROXY`; for `http` URLs: `http_proxy` only (the
///   upper-case `HTTP_PROXY` is ignored, as curl ignores it: a CGI-style environment lets a request set it);
///   else, for both, `all_proxy` or `ALL_PROXY`.
/// - Hosts that bypass the proxy: `no_proxy`, else `NO_PROXY` (comma-separated names, domains, addresses or `*`).
/// - Certificate authorities: `CURL_CA_BUNDLE`, else `SSL_CERT_FILE` (a PEM bundle); `SSL_CERT_DIR` (a
///   hashed directory). Without them, the system's store. Certificates are always verified.
package struct NetworkSettings: Sendable, Hashable {
    package var httpsProxy: String?
    package var httpProxy: String?
    package var noProxy: String?
    package var caBundle: String?
    package var caDirectory: String?

    package init(httpsProxy: String? = nil, httpProxy: String? = nil, noProxy: String? = nil,
                 caBundle: String? = nil, caDirectory: String? = nil) {
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.noProxy = noProxy
        self.caBundle = caBundle
        self.caDirectory = caDirectory
    }

    /// The settings `environment` holds; empty values count as unset.
    package init(environment: [String: String]) {
        func value(_ names: String...) -> String? {
            for name in names {
                if let value = environment[name]?.trimmed, !value.isEmpty { return value }
            }
            return nil
        }
        let all = value("all_proxy", "ALL_PROXY")
        self.init(
            httpsProxy: value("https_proxy", "HTTPS_PROXY") ?? all,
            httpProxy: value("http_proxy") ?? all,
            noProxy: value("no_proxy", "NO_PROXY"),
            caBundle: value("CURL_CA_BUNDLE", "SSL_CERT_FILE"),
            caDirectory: value("SSL_CERT_DIR")
        )
    }

    /// The proxy for a URL of `scheme` (`http` or `https`), nil for none.
    package func proxy(forScheme scheme: String) -> String? {
        scheme.lowercased() == "https" ? httpsProxy : httpProxy
    }
}

private extension String {
    var trimmed: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
