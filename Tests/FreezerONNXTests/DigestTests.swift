import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerONNX

@Suite("SHA-256 digests")
struct DigestTests {
    @Test func knownVectors() throws {
        let dir = Fixtures.temporaryDirectory()
        try Data("abc".utf8).write(to: URL(fileURLWithPath: dir + "/abc"))
        try Data().write(to: URL(fileURLWithPath: dir + "/empty"))
        #expect(try FileDigest.sha256(ofFile: dir + "/abc") == .init(sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", size: 3))
        #expect(try FileDigest.sha256(ofFile: dir + "/empty").sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // Larger than the 4 MiB read buffer, so several reads are chained.
        let big = Data(repeating: 0x61, count: 9 << 20)
        try big.write(to: URL(fileURLWithPath: dir + "/big"))
        let streamed = try FileDigest.sha256(ofFile: dir + "/big")
        #expect(streamed.sha256 == big.withUnsafeBytes { FileDigest.sha256(of: $0) })
        #expect(streamed.size == 9 << 20)
    }

    @Test func unreadableFileIsAnError() {
        #expect(throws: FileDigestError.self) { try FileDigest.sha256(ofFile: "/nonexistent/file") }
    }
}
