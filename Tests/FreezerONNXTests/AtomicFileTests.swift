import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerIR
@testable import FreezerONNX

@Suite("Atomic writes")
struct AtomicFileTests {
    struct Refused: Error {}

    func entries(_ dir: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }
    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
    func put(_ text: String, _ path: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }

    @Test func unnamedTemporaryHasNoDirectoryEntryWhileWriting() throws {
        let dir = Fixtures.temporaryDirectory()
        try put("other", dir + "/other")
        var whileWriting: [String] = []
        try AtomicFile.write(to: dir + "/out") { sink in
            try sink.write(Array("new".utf8))
            whileWriting = try entries(dir)
        }
        #expect(whileWriting == ["other"])
        #expect(try entries(dir) == ["other", "out"])
        #expect(try text(dir + "/out") == "new")
    }

    @Test func namedTemporaryNamesThisProcessAsItsOwner() throws {
        let dir = Fixtures.temporaryDirectory()
        var whileWriting: [String] = []
        try AtomicFile.write(to: dir + "/out", temporary: .named) { sink in
            try sink.write(Array("new".utf8))
            whileWriting = try entries(dir)
        }
        #expect(whileWriting.count == 1)
        let temporary = try #require(whileWriting.first.flatMap(TemporaryName.init(parsing:)))
        #expect(temporary.stem == "out")
        #expect(temporary.owner == ProcessIdentity.current)
        #expect(try entries(dir) == ["out"])
        #expect(try text(dir + "/out") == "new")
    }

    @Test(arguments: [PreparedFile.Kind.unnamedWhereSupported, .named])
    func failureLeavesTheTargetUntouchedAndNoTemporary(kind: PreparedFile.Kind) throws {
        let dir = Fixtures.temporaryDirectory()
        try put("old", dir + "/out")
        #expect(throws: ModelSaveError.cannotWrite(path: dir + "/out", reason: "\(Refused())")) {
            try AtomicFile.write(to: dir + "/out", temporary: kind) { sink in
                try sink.write(Array("partial".utf8))
                try sink.flush()
                throw Refused()
            }
        }
        #expect(try text(dir + "/out") == "old")
        #expect(try entries(dir) == ["out"])
    }

    @Test(arguments: [PreparedFile.Kind.unnamedWhereSupported, .named])
    func modeBitsAreThoseAskedForLessTheUmask(kind: PreparedFile.Kind) throws {
        let dir = Fixtures.temporaryDirectory()
        // Read, not set: umask(2) would change it for tests running in parallel.
        let status = try text("/proc/self/status").split(separator: "\n")
        let umask = try #require(status.first { $0.hasPrefix("Umask:") }.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8) })
        for mode in [0o600, 0o640, 0o755] {
            try AtomicFile.write(to: dir + "/f", mode: mode_t(mode), temporary: kind) { sink in try sink.write([1]) }
            #expect(try FileManager.default.attributesOfItem(atPath: dir + "/f")[.posixPermissions] as? Int == mode & ~umask)
        }
    }

    @Test func failedModelCommitPutsTheOldDataFileBack() throws {
        let dataDir = Fixtures.temporaryDirectory()
        let modelDir = Fixtures.temporaryDirectory()
        try put("old data", dataDir + "/model.onnx.data")
        let data = try AtomicFile.prepare(to: dataDir + "/model.onnx.data") { sink in try sink.write(Array("new data".utf8)) }
        let model = try AtomicFile.prepare(to: modelDir + "/model.onnx") { sink in try sink.write(Array("model".utf8)) }
        // The model's directory vanishing after it was written makes its commit fail after the data's.
        try FileManager.default.removeItem(atPath: modelDir)
        #expect(throws: ModelSaveError.self) { try AtomicFile.commit(model, referencing: data) }
        #expect(data.isCommitted)
        #expect(try entries(dataDir) == ["model.onnx.data"])
        #expect(try text(dataDir + "/model.onnx.data") == "old data")
    }

    @Test func externalDataSaveReplacesAnOldPairAndLeavesNoTemporary() throws {
        let dir = Fixtures.temporaryDirectory()
        try put("old model", dir + "/out.onnx")
        try put("old data", dir + "/out.onnx.data")
        let loaded = try ModelLoader.load(path: Fixtures.model("torch_cnn_train"))
        let saved = try ModelSaver.save(loaded.model, to: dir + "/out.onnx", options: .init(externalData: .always))
        #expect(try entries(dir) == ["out.onnx", "out.onnx.data"])
        #expect(saved.sha256 == (try FileDigest.sha256(ofFile: dir + "/out.onnx")).sha256)
        #expect(saved.dataFile?.sha256 == (try FileDigest.sha256(ofFile: dir + "/out.onnx.data")).sha256)
    }

    /// A prepared save is invisible until committed and leaves nothing when dropped; a write told to stop
    /// stops at its next slice and leaves nothing either.
    @Test func aPreparedSaveIsInvisibleUntilCommittedAndAStoppedOneLeavesNothing() throws {
        let dir = Fixtures.temporaryDirectory()
        let loaded = try ModelLoader.load(path: Fixtures.model("torch_cnn_train"))
        let prepared = try ModelSaver.prepare(loaded.model, to: dir + "/out.onnx", options: .init(externalData: .always))
        #expect(try entries(dir) == [], "nothing is visible before the commit")
        let saved = try prepared.commit()
        #expect(try entries(dir) == ["out.onnx", "out.onnx.data"])
        #expect(saved.totalSize == saved.size + (saved.dataFile?.size ?? 0))

        let other = Fixtures.temporaryDirectory()
        do { _ = try ModelSaver.prepare(loaded.model, to: other + "/out.onnx", options: .init(externalData: .always)) }
        #expect(try entries(other) == [], "a prepared save dropped without its commit leaves nothing")
        #expect {
            try ModelSaver.prepare(loaded.model, to: other + "/out.onnx", options: .init(externalData: .always, shouldStop: { true }))
        } throws: { error in
            guard case .cannotWrite(_, let reason) = error as? ModelSaveError else { return false }
            return reason.contains("stopped")
        }
        #expect(try entries(other) == [])
    }

    @Test func aCompanionIsMadeFromWhatWasSavedAndCommittedWithIt() throws {
        let dir = Fixtures.temporaryDirectory()
        try put("old log", dir + "/out.log")
        let loaded = try ModelLoader.load(path: Fixtures.model("torch_cnn_train"))
        let saved = try ModelSaver.save(loaded.model, to: dir + "/out.onnx") { saved in
            .init(path: dir + "/out.log", bytes: Array("log of \(saved.sha256)".utf8))
        }
        #expect(try text(dir + "/out.log") == "log of \(saved.sha256)")
        #expect(try entries(dir) == ["out.log", "out.onnx"])
    }

    @Test func aCompanionThatCannotBeMadeLeavesTheOldModelAndLog() throws {
        let dir = Fixtures.temporaryDirectory()
        try put("old model", dir + "/out.onnx")
        try put("old log", dir + "/out.log")
        let loaded = try ModelLoader.load(path: Fixtures.model("torch_cnn_train"))
        #expect(throws: ModelSaveError.self) {
            try ModelSaver.save(loaded.model, to: dir + "/out.onnx") { _ in throw Refused() }
        }
        #expect(try text(dir + "/out.onnx") == "old model")
        #expect(try text(dir + "/out.log") == "old log")
        #expect(try entries(dir) == ["out.log", "out.onnx"])
        // A companion may not replace the model it describes.
        #expect(throws: ModelSaveError.self) {
            try ModelSaver.save(loaded.model, to: dir + "/out.onnx") { _ in .init(path: dir + "/out.onnx", bytes: []) }
        }
        #expect(try text(dir + "/out.onnx") == "old model")
    }
}
