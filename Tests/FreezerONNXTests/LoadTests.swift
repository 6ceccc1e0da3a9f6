import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerIR
@testable import FreezerONNX

@Suite("Loading fixture models")
struct LoadTests {
    @Test(arguments: Fixtures.allModels)
    func loadsAndMatchesManifest(name: String) throws {
        let loaded = try ModelLoader.load(path: Fixtures.model(name))
        let facts = Fixtures.facts(name)
        let model = loaded.model
        #expect(model.irVersion == facts.ir_version)
        #expect(Dictionary(uniqueKeysWithValues: model.opsetImports.map { ($0.domain, $0.version) }) == facts.opsets)
        #expect(model.graph.nodes.count == facts.node_count)
        var counts: [String: Int] = [:]
        for n in model.graph.nodes { counts[n.domain.isEmpty ? n.opType : "\(n.domain).\(n.opType)", default: 0] += 1 }
        #expect(counts == facts.node_counts)
        #expect(model.graph.outputs.map { model.graph.value($0).name } == facts.outputs.map(\.name))
        #expect(Validator.validate(model).isEmpty, "\(Validator.validate(model))")
        #expect(loaded.source.sha256 == (try FileDigest.sha256(ofFile: Fixtures.model(name))).sha256)
        #expect(loaded.source.dataFiles.map(\.location).sorted() == (facts.external_data_files ?? []).sorted())
        if let parameters = facts.parameters {
            #expect(model.graph.initializers.reduce(0) { $0 + ($1.tensor.elementCount ?? 0) } == parameters)
        }
    }

    @Test func nodesKnowTheOpsetVersionInEffect() throws {
        let model = try ModelLoader.load(path: Fixtures.model("dropout_opset7")).model
        #expect(model.graph.nodes.allSatisfy { $0.opsetVersion == 7 })
    }

    @Test func largeInlinePayloadsAreSlicesOfOneMappedFile() throws {
        let model = try ModelLoader.load(path: Fixtures.model("torch_cnn_train")).model
        let big = model.graph.initializers.compactMap { (_, t) -> Bytes? in
            if case .raw(let b) = t.payload, b.count >= 64 { return b } else { return nil }
        }
        #expect(big.count >= 2)
        #expect(big.allSatisfy { $0.storage === big[0].storage })
        #expect(big[0].storage.count == (try FileDigest.sha256(ofFile: Fixtures.model("torch_cnn_train"))).size)
    }

    @Test(arguments: ["external_data_single", "external_data_per_tensor"])
    func externalDataResolvesLazilyAndDigests(name: String) throws {
        let loaded = try ModelLoader.load(path: Fixtures.model(name))
        let external = loaded.model.graph.initializers.filter { $0.tensor.externalSource != nil }
        #expect(!external.isEmpty)
        for (_, t) in external { try t.checkSize() }
        for file in loaded.source.dataFiles {
            #expect(file.sha256 == (try FileDigest.sha256(ofFile: file.canonicalPath)).sha256)
            #expect(file.size > 0)
        }
        // Values read from the data file equal those of an inline copy of the same model.
        let dir = Fixtures.temporaryDirectory()
        try ModelSaver.save(loaded.model, to: dir + "/inline.onnx", options: .init(externalData: .never))
        let inline = try ModelLoader.load(path: dir + "/inline.onnx").model
        for (id, t) in loaded.model.graph.initializers {
            let copy = inline.graph.initializer(inline.graph.value(named: loaded.model.graph.value(id).name)!)!
            #expect(try copy.doubles() == t.doubles())
            #expect(copy.externalSource == nil)
        }
    }

    @Test func typedFieldsMatchTheGeneratorsValues() throws {
        struct Expected: Decodable { var tensors: [Entry] }
        struct Entry: Decodable {
            var name: String; var data_type: Int32; var dims: [Int64]; var values: [Double] = []
            var exactInts: [Int64]?; var strings: [String]?
            enum CodingKeys: CodingKey { case name, data_type, dims, values }
            init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                name = try c.decode(String.self, forKey: .name)
                data_type = try c.decode(Int32.self, forKey: .data_type)
                dims = try c.decode([Int64].self, forKey: .dims)
                // bool tensors list true/false; everything else numbers.
                if let bools = try? c.decode([Bool].self, forKey: .values) { values = bools.map { $0 ? 1 : 0 } }
                else if let strings = try? c.decode([String].self, forKey: .values) { self.strings = strings }
                else if let ints = try? c.decode([Int64].self, forKey: .values) { exactInts = ints; values = ints.map(Double.init) }
                else if let u = try? c.decode([UInt64].self, forKey: .values) { exactInts = u.map { Int64(bitPattern: $0) } }
                else { values = try c.decode([Double].self, forKey: .values) }
            }
        }
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("typed_fields/expected.json"))))
        let model = try ModelLoader.load(path: Fixtures.model("typed_fields")).model
        var tensors: [String: Tensor] = [:]
        for (_, t) in model.graph.initializers { tensors[t.name] = t }
        for node in model.graph.nodes {
            for a in node.attributes { if let t = a.tensorValue { tensors[t.name.isEmpty ? node.outputs.first.flatMap { $0 }.map { model.graph.value($0).name } ?? "" : t.name] = t } }
        }
        #expect(expected.tensors.count >= 8)
        for entry in expected.tensors {
            let t = try #require(tensors[entry.name], "tensor \(entry.name) not found")
            #expect(t.elementType.rawValue == entry.data_type)
            #expect(t.dims == entry.dims)
            if case .raw = t.payload { Issue.record("\(entry.name) should be stored in typed fields") }
            if let strings = entry.strings {
                guard case .fields(let f) = t.payload else { continue }
                #expect(f.stringData.map { String(decoding: $0, as: UTF8.self) } == strings)
            } else if let ints = entry.exactInts, !t.elementType.isFloatingPoint {
                #expect(try t.int64s() == ints, "\(entry.name)")
            } else {
                #expect(try t.doubles() == entry.values, "\(entry.name)")
            }
        }
    }
}
