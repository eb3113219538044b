import ProvsyncModel

/// Follows the pages of `GET /api/v1/providers`: while `has_more`, the next page is asked for with
/// `page_token` set to the previous page's `next_page_token`.
enum ProviderPages {
    /// Every item of every page; `fetch` reads one page given the token (nil for the first page).
    /// A page that says `has_more` without a new token is an error, not an endless loop.
    static func collect(
        label: String, _ fetch: (String?) async throws(APIError) -> WireProviderPage
    ) async throws(APIError) -> [LiveAgentProvider] {
        var providers: [LiveAgentProvider] = []
        var token: String?
        var seenTokens: Set<String> = []
        repeat {
            let page = try await fetch(token)
            providers += page.items
            guard page.hasMore else { break }
            guard let next = page.nextPageToken, seenTokens.insert(next).inserted else {
                throw APIError(request: label, status: 200, kind: .invalidResponse,
                               message: "has_more is true but next_page_token is missing or repeats an earlier one")
            }
            token = next
        } while true
        return providers
    }
}
