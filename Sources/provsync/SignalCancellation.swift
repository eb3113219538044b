import Dispatch
import Foundation

/// Runs `body`, cancelling it on SIGINT or SIGTERM, so a foreground command can finish cleanly.
func withSignalCancellation(_ body: @escaping @Sendable () async -> Void) async {
    let task = Task { await body() }
    let sources = [SIGINT, SIGTERM].map { signalNumber in
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler {
            // A second signal ends the process at once, should stopping hang.
            signal(signalNumber, SIG_DFL)
            task.cancel()
        }
        source.resume()
        return source
    }
    await task.value
    sources.forEach { $0.cancel() }
}
