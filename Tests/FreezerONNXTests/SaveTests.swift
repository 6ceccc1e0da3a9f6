import Foundation
import FreezerTestSupport
import OnnxProto
import Testing
@testable import FreezerIR
@testable import FreezerONNX

@Suite("Saving models")
struct SaveTests {
    func bytes(_ path: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test(arguments: Fixtures.allModels)
    func roundTripIsFaithfulAndDeterministic(name: String) throws {
        let dir = Fixtures.temporaryDirectory()
        let loaded = try ModelLoader.load(path: Fixtures.model(name))
        let first = try ModelSaver.save(loaded.model, to: dir + "/a.onnx", options: .init(externalData: .never))
        let second = try ModelSaver.save(loaded.model, to: dir + "/b.onnx", options: .init(externalData: .never))
        #expect(try bytes(dir + "/a.onnx") == bytes(dir + "/b.onnx"))
        #expect(first.sha256 == second.sha256)
        #expect(first.sha256 == (try FileDigest.sha256(ofFile: dir + "/a.onnx")).sha256)

        // Saving what was saved changes nothing: no drift over repeated round trips.
        let reloaded = try ModelLoader.load(path: dir + "/a.onnx")
        try ModelSaver.save(reloaded.model, to: dir + "/c.onnx", options: .init(externalData: .never))
        #expect(try bytes(dir + "/a.onnx") == bytes(dir + "/c.onnx"))

        // The IR read back is the IR written, apart from where payloads were stored.
        #expect(loaded.model == reloaded.model)

        // Protobuf-level: the same message as the input, once external data is inlined.
        if loaded.source.dataFiles.isEmpty {
            let a = try Onnx_ModelProto(serializedBytes: bytes(Fixtures.model(name)))
            let b = try Onnx_ModelProto(serializedBytes: bytes(dir + "/a.onnx"))
            #expect(a.graph == b.graph)
            #expect(a.trainingInfo == b.trainingInfo)
            #expect(a.unknownFields == b.unknownFields)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func unknownFieldsSurviveAtEveryLevel() throws {
        let dir = Fixtures.temporaryDirectory()
        let loaded = try ModelLoader.load(path: Fixtures.model("unknown_fields"))
        try ModelSaver.save(loaded.model, to: dir + "/out.onnx")
        let a = try Onnx_ModelProto(serializedBytes: bytes(Fixtures.model("unknown_fields")))
        let b = try Onnx_ModelProto(serializedBytes: bytes(dir + "/out.onnx"))
        #expect(!a.unknownFields.data.isEmpty)
        #expect(a.unknownFields == b.unknownFields)
        #expect(!a.graph.unknownFields.data.isEmpty)
        #expect(a.graph.unknownFields == b.graph.unknownFields)
        #expect(!a.graph.node[0].unknownFields.data.isEmpty)
        #expect(a.graph.node[0].unknownFields == b.graph.node[0].unknownFields)
        #expect(!a.graph.initializer[0].unknownFields.data.isEmpty)
        #expect(a.graph.initializer[0].unknownFields == b.graph.initializer[0].unknownFields)
    }

    @Test func externalDataSaveWritesOneAlignedDataFile() throws {
        let dir = Fixtures.temporaryDirectory()
        let loaded = try ModelLoader.load(path: Fixtures.model("torch_cnn_train"))
        let saved = try ModelSaver.save(loaded.model, to: dir + "/frozen.onnx", options: .init(externalData: .always, externalThreshold: 256))
        let data = try #require(saved.dataFile)
        #expect(data.location == "frozen.onnx.data")
        #expect(data.sha256 == (try FileDigest.sha256(ofFile: dir + "/frozen.onnx.data")).sha256)
        let reloaded = try ModelLoader.load(path: dir + "/frozen.onnx")
        #expect(reloaded.source.dataFiles.map(\.location) == ["frozen.onnx.data"])
        var externalCount = 0
        for (id, t) in reloaded.model.graph.initializers {
            let original = loaded.model.graph.initializer(loaded.model.graph.value(named: reloaded.model.graph.value(id).name)!)!
            #expect(try t.rawBytes() == original.rawBytes())
            if let source = t.externalSource {
                externalCount += 1
                #expect(source.offset % 64 == 0)
                #expect(t.storedByteCount >= 256)
            }
        }
        #expect(externalCount >= 4)
        // Deterministic with external data too.
        try ModelSaver.save(loaded.model, to: dir + "/again.onnx", options: .init(externalData: .always, dataFileName: "frozen.onnx.data2", externalThreshold: 256))
        #expect(try bytes(dir + "/frozen.onnx.data") == bytes(dir + "/frozen.onnx.data2"))
    }

    @Test func neverOverwritesTheInputOrItsDataFiles() throws {
        let dir = Fixtures.temporaryDirectory()
        let source = Fixtures.model("external_data_single")
        try FileManager.default.copyItem(atPath: Paths.directory(of: source), toPath: dir + "/in")
        let loaded = try ModelLoader.load(path: dir + "/in/model.onnx")
        let before = try bytes(dir + "/in/model.onnx")
        let options = ModelSaver.Options(protectedPaths: loaded.source.protectedPaths)
        #expect(throws: ModelSaveError.self) { try ModelSaver.save(loaded.model, to: dir + "/in/model.onnx", options: options) }
        #expect(throws: ModelSaveError.self) { try ModelSaver.save(loaded.model, to: dir + "/in/./model.onnx", options: options) }
        #expect(throws: ModelSaveError.self) { try ModelSaver.save(loaded.model, to: dir + "/in/weights.bin", options: options) }
        var external = options
        external.externalData = .always
        external.dataFileName = "weights.bin"
        #expect(throws: ModelSaveError.self) { try ModelSaver.save(loaded.model, to: dir + "/in/other.onnx", options: external) }
        #expect(try bytes(dir + "/in/model.onnx") == before)
        #expect(!FileManager.default.fileExists(atPath: dir + "/in/other.onnx"))
    }

    @Test func missingDirectoryIsRefusedAndNothingIsWritten() throws {
        let loaded = try ModelLoader.load(path: Fixtures.model("dropout_opset7"))
        let error = #expect(throws: ModelSaveError.self) { try ModelSaver.save(loaded.model, to: "/nonexistent-dir/x.onnx") }
        #expect(error == .missingDirectory("/nonexistent-dir"))
        #expect(error?.description.contains("does not exist") == true)
    }

    @Test func replacesAnExistingOutputAtomically() throws {
        let dir = Fixtures.temporaryDirectory()
        try Data("old".utf8).write(to: URL(fileURLWithPath: dir + "/out.onnx"))
        let loaded = try ModelLoader.load(path: Fixtures.model("dropout_opset7"))
        try ModelSaver.save(loaded.model, to: dir + "/out.onnx")
        #expect(try ModelLoader.load(path: dir + "/out.onnx").model == loaded.model)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.onnx"])
    }

    @Test func editedTensorsAreWrittenFromMemory() throws {
        let dir = Fixtures.temporaryDirectory()
        var model = try ModelLoader.load(path: Fixtures.model("torch_cnn_train")).model
        let (id, t) = model.graph.initializers.first { $0.tensor.elementType == .float && ($0.tensor.elementCount ?? 0) > 16 }!
        let doubled = try t.doubles().map { $0 * 2 }
        try model.graph.setInitializer(id, .make(name: t.name, type: .float, dims: t.dims, values: doubled))
        try ModelSaver.save(model, to: dir + "/edited.onnx")
        let back = try ModelLoader.load(path: dir + "/edited.onnx").model
        #expect(try back.graph.initializer(back.graph.value(named: t.name)!)!.doubles() == doubled.map { Double(Float($0)) })
    }
}

@Suite("Payloads kept as encoded bytes")
struct EncodedPayloadTests {
    /// Sparse initializers and function bodies are not imported into the IR; their large payloads must
    /// reach the saved file as they were, never as load-time tokens (a fuzzing find).
    @Test func sparseInitializerAndFunctionBodySurviveARoundTrip() throws {
        let path = Fixtures.path("special/sparse_and_function.onnx")
        let dir = Fixtures.temporaryDirectory()
        let loaded = try ModelLoader.load(path: path)
        try ModelSaver.save(loaded.model, to: dir + "/out.onnx")
        let a = try Onnx_ModelProto(serializedBytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        let b = try Onnx_ModelProto(serializedBytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/out.onnx"))))
        #expect(a.graph.sparseInitializer == b.graph.sparseInitializer)
        #expect(b.graph.sparseInitializer[0].values.rawData.count == 400)
        #expect(a.functions == b.functions)
        #expect(b.functions[0].node[0].attribute[0].t.rawData.count == 400)
    }
}
