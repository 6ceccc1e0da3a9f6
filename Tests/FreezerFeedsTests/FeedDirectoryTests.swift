import Foundation
import FreezerFeeds
import FreezerIR
import FreezerONNX
import FreezerTestSupport
import Testing

/// How `FeedDirectory` binds files to inputs and outputs, on `ParametersFirstModel` (inputs w, a, b,
/// where w has an initializer and comes first).
@Suite("Binding data files to inputs")
struct FeedDirectoryTests {
    let graph = ParametersFirstModel.model.graph

    @Test func unnamedTensorsBindByRuntimeInputOrder() throws {
        let dir = try ParametersFirstModel.write()
        let set = dir + "/test_data_set_0"
        let samples = try FeedDirectory.samples(in: dir, for: graph, expectedOutputs: true)
        #expect(samples.count == 1)
        let sample = try #require(samples.first)
        #expect(sample.source == "test data \(set)")
        #expect(sample.inputs.map(\.name) == ["a", "b"])
        #expect(sample.inputs.map(\.path) == ["\(set)/input_0.pb", "\(set)/input_1.pb"])
        #expect(sample.feeds["a"]?.floats == ParametersFirstModel.a.map(Float.init))
        #expect(sample.feeds["b"]?.floats == ParametersFirstModel.b.map(Float.init))
        #expect(sample.feeds["w"] == nil, "a parameter is never given by position")
        #expect(sample.outputs.map(\.name) == ["s", "d"])
        #expect(sample.digests["a"] == (try FileDigest.sha256(ofFile: "\(set)/input_0.pb")).sha256)
        #expect(sample.outputs[0].sha256 == (try FileDigest.sha256(ofFile: "\(set)/output_0.pb")).sha256)
        // The set directory itself is the same single sample.
        #expect(try FeedDirectory.samples(in: set, for: graph).map(\.source) == ["test data \(set)"])
    }

    @Test func namedTensorsBindByNameWhateverTheirOrder() throws {
        let dir = Fixtures.temporaryDirectory()
        try ParametersFirstModel.writeTensors([("input_0", ParametersFirstModel.b, "b"), ("input_1", ParametersFirstModel.a, "a"),
                   ("output_0", ParametersFirstModel.d, "d"), ("output_1", ParametersFirstModel.s, "s")], in: dir)
        let sample = try #require(try FeedDirectory.samples(in: dir, for: graph, expectedOutputs: true).first)
        #expect(sample.inputs.map(\.name) == ["a", "b"])
        #expect(sample.inputs.map(\.path) == ["\(dir)/input_1.pb", "\(dir)/input_0.pb"])
        #expect(sample.feeds["a"]?.floats == ParametersFirstModel.a.map(Float.init))
        #expect(sample.outputs.map(\.name) == ["d", "s"])
        #expect(sample.outputs[0].array.floats == ParametersFirstModel.d.map(Float.init))
    }

    @Test func filesNamedAfterInputs() throws {
        let dir = Fixtures.temporaryDirectory()
        try NumpyFile.write(ParametersFirstModel.tensor(ParametersFirstModel.a), to: dir + "/a.npy")
        try TensorFile.write(ParametersFirstModel.tensor(ParametersFirstModel.b), to: dir + "/b.pb")
        try Data("not data".utf8).write(to: URL(fileURLWithPath: dir + "/README"))
        let sample = try #require(try FeedDirectory.samples(in: dir, for: graph, expectedOutputs: true).first)
        #expect(sample.source == "files in \(dir)")
        #expect(sample.inputs.map(\.path) == [dir + "/a.npy", dir + "/b.pb"])
        #expect(sample.feeds["b"]?.floats == ParametersFirstModel.b.map(Float.init))
        #expect(sample.outputs.isEmpty)
    }

    /// test_data_set_N directories may hold files named after the inputs, as numpy users write them.
    @Test func testDataSetsOfFilesNamedAfterInputs() throws {
        let dir = Fixtures.temporaryDirectory()
        for n in 0..<2 {
            let set = dir + "/test_data_set_\(n)"
            try FileManager.default.createDirectory(atPath: set, withIntermediateDirectories: true)
            try NumpyFile.write(ParametersFirstModel.tensor(ParametersFirstModel.a), to: set + "/a.npy")
            try NumpyFile.write(ParametersFirstModel.tensor(ParametersFirstModel.b), to: set + "/b.npy")
        }
        let samples = try FeedDirectory.samples(in: dir, for: graph)
        #expect(samples.map { $0.inputs.map(\.path) } == (0..<2).map { ["\(dir)/test_data_set_\($0)/a.npy", "\(dir)/test_data_set_\($0)/b.npy"] })
        #expect(samples[1].feeds["b"]?.floats == ParametersFirstModel.b.map(Float.init))
    }

    @Test func expectedOutputsAreReadOnlyWhenAskedFor() throws {
        let dir = Fixtures.temporaryDirectory()
        try ParametersFirstModel.writeTensors([("input_0", ParametersFirstModel.a, ""), ("input_1", ParametersFirstModel.b, ""),
                   ("output_0", ParametersFirstModel.s, "loss")], in: dir)
        #expect(try FeedDirectory.samples(in: dir, for: graph).first?.outputs.isEmpty == true)
        #expect(throws: FeedError.unknownName(file: dir + "/output_0.pb", tensor: "loss", role: .output, names: ["s", "d"])) {
            try FeedDirectory.samples(in: dir, for: graph, expectedOutputs: true)
        }
    }

    @Test func callersMayRequireFewerInputs() throws {
        let dir = Fixtures.temporaryDirectory()
        try ParametersFirstModel.writeTensors([("input_0", ParametersFirstModel.a, "")], in: dir)
        let sample = try #require(try FeedDirectory.samples(in: dir, for: graph, requiring: ["a"]).first)
        #expect(sample.inputs.map(\.name) == ["a"])
        let named = Fixtures.temporaryDirectory()
        try NumpyFile.write(ParametersFirstModel.tensor(ParametersFirstModel.b), to: named + "/b.npy")
        #expect(try FeedDirectory.samples(in: named, for: graph, requiring: ["b"]).first?.inputs.map(\.name) == ["b"])
    }

    /// The committed fixtures' test data name their tensors as exporters do; all of it must still bind.
    /// (Training models' data may leave out inputs such as labels, which convert does not require.)
    @Test(arguments: Fixtures.allModels.filter { !TestDataSet.directories(in: Fixtures.path($0)).isEmpty })
    func fixtureTestDataBinds(name: String) throws {
        let model = try ModelLoader.load(path: Fixtures.model(name), options: .init(computeDigests: false)).model
        let samples = try FeedDirectory.samples(in: Fixtures.path(name), for: model.graph, requiring: [], expectedOutputs: true)
        #expect(!samples.isEmpty)
        #expect(samples.allSatisfy { !$0.outputs.isEmpty })
    }
}
