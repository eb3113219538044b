import Foundation
import Testing
@testable import ProvsyncSandbox

@Suite("Replays of a real Agent Stack server's answers")
struct ReplayTests {
    /// The scenario files the sandbox replays in full.
    static let replayed = [
        "auth_matrix.json", "background_refresh.json", "create_fields.json", "create_location_forms.json",
        "create_location_forms_localnet.json", "delete.json", "errors.json", "image_providers.json", "list_get.json",
        "patch_fields.json", "preview.json", "variables.json",
    ]

    @Test("every exchange of the recording gets the recorded status and body", arguments: replayed)
    func replay(file: String) async throws {
        let recording = try Recording.load(file)
        var replayer = try await Replayer.start(recording)
        let mismatch: String?
        do {
            mismatch = try await replayer.run()
        } catch {
            await replayer.stop()
            throw error
        }
        await replayer.stop()
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test("every replayed file is a recording in Recordings/")
    func filesExist() {
        let files = Set(Recording.allFiles())
        for file in Self.replayed {
            #expect(files.contains(file), "\(file) is missing from Recordings/")
        }
    }
}
