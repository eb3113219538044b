import Foundation
import Testing
@testable import ProvsyncLive
@testable import ProvsyncSandbox

@Suite("The client's wire readers read every recorded answer")
struct WireReadingTests {
    @Test("provider, list and variables answers decode", arguments: Recording.allFiles())
    func decode(file: String) throws {
        let recording = try Recording.load(file)
        var failures: [String] = []
        for exchange in recording.exchanges {
            guard let request = exchange["request"]?.objectValue, let response = exchange["response"]?.objectValue,
                  let status = response["status"], [.int(200), .int(201)].contains(status),
                  let body = response["body"], body.objectValue != nil,
                  let path = request["path"]?.stringValue, let method = request["method"]?.stringValue else { continue }
            let data = Data(JSONWriter.bytes(body))
            let step = exchange["step"]?.stringValue ?? "?"
            do {
                let json = try JSONParser.parse(data)
                if path.hasSuffix("/variables") {
                    _ = try WireVariables(wire: json)
                } else if method == "GET" && (path == "/api/v1/providers" || path == "/api/v1/providers/") {
                    _ = try WireProviderPage(wire: json)
                } else if path.hasPrefix("/api/v1/providers") {
                    _ = try WireAgentProvider(wire: json)
                }
            } catch {
                failures.append("\(step): \(error)")
            }
        }
        #expect(failures.isEmpty, "\(file): \(failures.joined(separator: "; "))")
    }
}
