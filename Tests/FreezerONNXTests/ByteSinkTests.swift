import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerONNX

@Suite("ByteSink")
struct ByteSinkTests {
    /// Small writes are buffered, large ones hashed on another thread while written, in 64 MiB chunks:
    /// the digest must be the file's, whatever the mix.
    @Test func theDigestIsTheFilesWhateverTheSizesOfTheWrites() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir + "/out.bin"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        let sink = ByteSink(fd: fd, path: path)
        var state: UInt32 = 7
        func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in state = state &* 1_664_525 &+ 1_013_904_223; return UInt8(truncatingIfNeeded: state >> 24) } }
        for size in [10, 3 << 20, 1, (70 << 20) + 3, 500, 1 << 20, 5] {
            try sink.write(bytes(size))
        }
        try sink.flush()
        close(fd)
        #expect(sink.sha256 == (try FileDigest.sha256(ofFile: path)).sha256)
        #expect(sink.written == (try FileDigest.sha256(ofFile: path)).size)
    }
}
