import Testing
import ProvsyncSupport

@Suite("Support utilities")
struct SupportTests {
    @Test("SHA-256 matches the FIPS 180-4 test vectors, across block boundaries", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1000),
         "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
        (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (String(repeating: "a", count: 63), "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (String(repeating: "a", count: 65), "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (String(repeating: "a", count: 128), "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"),
    ])
    func sha256(message: String, expected: String) {
        #expect(SHA256Digest.hex(message) == expected)
    }

    @Test("concurrentMap gives map's results in map's order, whatever the size", arguments: [0, 1, 127, 128, 129, 1000, 10_007])
    func concurrentMap(count: Int) {
        let input = (0..<count).map { "item \($0)" }
        #expect(input.concurrentMap { $0.uppercased() + "!" } == input.map { $0.uppercased() + "!" })
        #expect(input.concurrentMap(minimumChunk: 1) { $0.count } == input.map(\.count))
    }

    @Test("a stop request is seen once made")
    func stopRequest() {
        let stop = StopRequest()
        #expect(!stop.isRequested)
        stop.request()
        #expect(stop.isRequested)
    }
}
