import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerIR
@testable import FreezerONNX

/// A data file made before its model (`ModelSaver.prepareDataFile`), into which a `TensorStore` writes the
/// tensors passes create: the save keeps them where they are and writes only the rest, and the file is
/// as atomic as any other output.
@Suite("Data file written in place")
struct DataFileInPlaceTests {
    func entries(_ dir: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }

    /// A float tensor of `count` elements whose bytes a store writes (in its file when large enough).
    func stored(_ name: String, count: Int, seed: Float, in store: TensorStore) throws -> Tensor {
        let writer = store.writer(byteCount: count * 4)
        let values = (0..<count).map { Float($0 % 977) * 0.001 + seed }
        try values.withUnsafeBytes { try writer.append($0) }
        return Tensor(name: name, elementType: .float, dims: [Int64(count)], payload: .raw(try writer.finish()))
    }

    /// x → Add(a) → Add(b) → Add(c) → y, with the given initializers.
    func model(_ initializers: [Tensor]) -> Model {
        let n = initializers[0].dims[0]
        let x = ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(n)])))
        var nodes: [NodeSpec] = []
        var previous = "x"
        for (k, t) in initializers.enumerated() {
            nodes.append(NodeSpec(opType: "Add", opsetVersion: 17, inputs: [previous, t.name], outputs: ["h\(k)"]))
            previous = "h\(k)"
        }
        let graph = Graph(name: "g", inputs: [x], outputs: [ValueInfo(name: previous, type: nil)], initializers: initializers, nodes: nodes)
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: graph)
    }

    func values(_ t: Tensor) throws -> [UInt8] { try t.rawBytes().array }

    @Test func storedTensorsKeepTheirPlaceAndTheRestFollows() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir + "/out.onnx"
        let file = try #require(try ModelSaver.prepareDataFile(forModelAt: path, options: .init()))
        let store = try TensorStore(writingInto: file.fileDescriptor)
        // The store makes b, then a; c is an ordinary tensor in memory.
        let b = try stored("b", count: 40_000, seed: 2, in: store)
        let a = try stored("a", count: 40_000, seed: 1, in: store)
        let c = Tensor.make(name: "c", type: .float, dims: [40_000], values: (0..<40_000).map { Double($0) * 0.5 })
        #expect(store.fileOffset(of: try b.rawBytes()) == 0)
        let regionA = try #require(store.fileOffset(of: try a.rawBytes()))
        #expect(try entries(dir).isEmpty, "the data file has no name before its commit")

        let m = model([a, b, c])
        let saved = try ModelSaver.prepare(m, to: path, options: .init(externalData: .always, dataFileInPlace: .init(file: file, store: store))).commit()
        #expect(try entries(dir) == ["out.onnx", "out.onnx.data"])
        let data = try #require(saved.dataFile)
        #expect(data.sha256 == (try FileDigest.sha256(ofFile: dir + "/out.onnx.data")).sha256)
        #expect(data.size == (try FileManager.default.attributesOfItem(atPath: dir + "/out.onnx.data")[.size] as? Int))
        let reloaded = try ModelLoader.load(path: path)
        for t in [a, b, c] {
            let id = try #require(reloaded.model.graph.value(named: t.name))
            let tensor = try #require(reloaded.model.graph.initializer(id))
            #expect(try values(tensor) == (try values(t)), "\(t.name)")
        }
        // a and b where the store put them; c after the store's end.
        let proto = try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        #expect(proto.contains("\(regionA)"))
        #expect(data.size > regionA + 160_000)
    }

    /// A payload of the store that the model leaves out (a fold replaced again) makes the save write every
    /// tensor afresh, so that the data file holds no bytes that nothing references.
    @Test func aPayloadTheModelLeavesOutMakesTheSaveWriteEverything() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir + "/out.onnx"
        let file = try #require(try ModelSaver.prepareDataFile(forModelAt: path, options: .init()))
        let store = try TensorStore(writingInto: file.fileDescriptor)
        _ = try stored("replaced", count: 50_000, seed: 9, in: store)
        let a = try stored("a", count: 40_000, seed: 1, in: store)
        let saved = try ModelSaver.prepare(model([a]), to: path, options: .init(externalData: .always, dataFileInPlace: .init(file: file, store: store))).commit()
        let data = try #require(saved.dataFile)
        #expect(data.size == 160_000, "written afresh from offset 0, without the unreferenced payload")
        #expect(data.sha256 == (try FileDigest.sha256(ofFile: dir + "/out.onnx.data")).sha256)
        let reloaded = try ModelLoader.load(path: path)
        let id = try #require(reloaded.model.graph.value(named: "a"))
        let tensor = try #require(reloaded.model.graph.initializer(id))
        #expect(try values(tensor) == (try values(a)))
    }

    /// Saved without a data file after all (small enough to be inline), or never committed: nothing of the
    /// data file made in advance remains.
    @Test func anUnusedOrUncommittedDataFileLeavesNothing() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir + "/out.onnx"
        do {
            let file = try #require(try ModelSaver.prepareDataFile(forModelAt: path, options: .init()))
            let store = try TensorStore(writingInto: file.fileDescriptor)
            let a = try stored("a", count: 40_000, seed: 1, in: store)
            let saved = try ModelSaver.prepare(model([a]), to: path, options: .init(externalData: .never, dataFileInPlace: .init(file: file, store: store))).commit()
            #expect(saved.dataFile == nil)
        }
        #expect(try entries(dir) == ["out.onnx"])
        let other = Fixtures.temporaryDirectory()
        do {
            let file = try #require(try ModelSaver.prepareDataFile(forModelAt: other + "/out.onnx", options: .init()))
            let store = try TensorStore(writingInto: file.fileDescriptor)
            let a = try stored("a", count: 40_000, seed: 1, in: store)
            _ = try ModelSaver.prepare(model([a]), to: other + "/out.onnx", options: .init(externalData: .always, dataFileInPlace: .init(file: file, store: store)))
        }
        #expect(try entries(other).isEmpty)
    }

    /// Refused where the data file would be an input's: the save itself says why.
    @Test func noDataFileIsMadeOverAProtectedPath() throws {
        let dir = Fixtures.temporaryDirectory()
        try Data("input data".utf8).write(to: URL(fileURLWithPath: dir + "/out.onnx.data"))
        #expect(try ModelSaver.prepareDataFile(forModelAt: dir + "/out.onnx", options: .init(protectedPaths: [dir + "/out.onnx.data"])) == nil)
        #expect(try String(contentsOfFile: dir + "/out.onnx.data", encoding: .utf8) == "input data")
    }
}
