extension AgentLocation {
    /// Every origin the server may store for this location when none is pinned: the derived `origin`, and for a
    /// loopback URL the same URL with its host written as each of the loopback host names, because the server
    /// rewrites a loopback host by its own configuration (`host.docker.internal`, or `localhost` with its
    /// local-network setting).
    package var originSpellings: Set<String> {
        guard dependsOnServerConfiguration, case .url(let url) = self,
              case .success(let location) = NetworkLocation.parse(url) else { return [origin] }
        var spellings: Set<String> = [origin]
        for host in NetworkLocation.loopbackHosts {
            var spelling = location
            spelling.host = host
            spellings.insert(spelling.normalized)
        }
        return spellings
    }
}
