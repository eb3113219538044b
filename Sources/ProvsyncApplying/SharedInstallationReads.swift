import ProvsyncLive
import ProvsyncModel

/// Fresh reads of the installation list, shared by the operations that ask at about the same time. The
/// store API has no get-one endpoint, so each check would otherwise read the whole list: here a caller
/// gets the answer of a read that started after it asked (never an older one), and everyone who asks while
/// a read is under way shares the one read that starts next.
actor SharedInstallationReads {
    typealias Listing = [String: LiveInstallation]

    private let reader: any InstallationReading
    private var inProgress: (id: Int, task: Task<Listing, any Error>)?
    private var queued: (id: Int, task: Task<Listing, any Error>)?
    private var lastID = 0

    init(reader: any InstallationReading) {
        self.reader = reader
    }

    /// The installations by `org/name`, as read by a request sent after this call began.
    func fresh() async throws(APIError) -> Listing {
        let task: Task<Listing, any Error>
        if let queued {
            task = queued.task
        } else if let inProgress {
            let id = nextID()
            let previous = inProgress.task
            task = Task {
                _ = await previous.result
                return try await self.read(id)
            }
            queued = (id, task)
        } else {
            let id = nextID()
            task = Task { try await self.read(id) }
            inProgress = (id, task)
        }
        do {
            return try await task.value
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(request: "GET /providers/installed", status: nil, kind: .invalidResponse,
                           message: "\(error)")
        }
    }

    private func nextID() -> Int {
        lastID += 1
        return lastID
    }

    private func read(_ id: Int) async throws -> Listing {
        if queued?.id == id {
            inProgress = queued
            queued = nil
        }
        defer {
            if inProgress?.id == id { inProgress = nil }
        }
        let installations = try await reader.installations()
        return Dictionary(installations.map { ($0.providerName, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
