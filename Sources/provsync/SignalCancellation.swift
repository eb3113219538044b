import Dispatch
import Foundation

/// Runs `body`, cancelling it on SIGINT or SIGTERM, so a foreground command can finish cleanly.
func withSignalCancellation(_ body: @escaping @Sendable () async -> Void) async {
    let task = Task { await body() }
    await whileHandlingInterrupts({ task.cancel() }) {
        await task.value
    }
}

/// Runs `body` while SIGINT and SIGTERM call `onInterrupt` instead of ending the process. A second signal
/// ends the process at once, should stopping hang. The default handling comes back when `body` returns.
func whileHandlingInterrupts<Result: Sendable>(
    _ onInterrupt: @escaping @Sendable () -> Void, _ body: () async -> Result
) async -> Result {
    let sources = [SIGINT, SIGTERM].map { signalNumber in
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler {
            signal(signalNumber, SIG_DFL)
            onInterrupt()
        }
        source.resume()
        return source
    }
    let result = await body()
    for (source, signalNumber) in zip(sources, [SIGINT, SIGTERM]) {
        source.cancel()
        signal(signalNumber, SIG_DFL)
    }
    return result
}
