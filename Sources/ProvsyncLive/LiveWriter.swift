import ProvsyncModel

/// Changes live state through both APIs. Kept apart from `LiveReader`, with its own HTTP layer, so only
/// `apply` ever holds it. Writes are retried only where the server cannot have acted (see `RetryPolicy`);
/// an `APIError` with `isOutcomeUnknown` means the change may or may not have happened. The writes of each
/// kind are in that kind's file under `Kinds/`.
package struct LiveWriter: Sendable {
    let client: APIClient

    package init(client: APIClient) {
        self.client = client
    }

    package init(endpoints: APIEndpoints, credentials: APICredentials, options: APIClientOptions = APIClientOptions()) {
        self.init(client: APIClient(endpoints: endpoints, credentials: credentials, options: options))
    }

    /// The same credentials for both APIs.
    package init(endpoints: APIEndpoints, credentials: Credentials, options: APIClientOptions = APIClientOptions()) {
        self.init(endpoints: endpoints, credentials: APICredentials(credentials), options: options)
    }
}
