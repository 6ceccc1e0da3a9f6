import Foundation
import FreezerFeeds
import FreezerIR
import FreezerONNX
import FreezerTestSupport
import Testing

/// Data that does not fit the model is refused with an error naming the file, never bound by a guess.
@Suite("Refusing data files that do not fit")
struct FeedRefusalTests {
    typealias M = ParametersFirstModel
    let graph = M.model.graph

    func refusal(_ dir: String, expectedOutputs: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws -> FeedError {
        try #require(throws: FeedError.self, sourceLocation: sourceLocation) {
            try FeedDirectory.samples(in: dir, for: graph, expectedOutputs: expectedOutputs)
        }
    }

    @Test func tensorNamedAfterNoInput() throws {
        let dir = Fixtures.temporaryDirectory()
        try M.writeTensors([("input_0", M.a, "a"), ("input_1", M.b, "bias")], in: dir)
        let error = try refusal(dir)
        #expect(error == .unknownName(file: dir + "/input_1.pb", tensor: "bias", role: .input, names: ["a", "b"]))
        #expect(error.description.contains("holds tensor 'bias', which is not an input of the model (inputs: 'a', 'b')"))
    }

    @Test func valuesForParametersAreRefused() throws {
        let dir = Fixtures.temporaryDirectory()
        try M.writeTensors([("input_0", M.w, "w"), ("input_1", M.a, "a"), ("input_2", M.b, "b")], in: dir)
        #expect(try refusal(dir) == .parameter(file: dir + "/input_0.pb", name: "w", inputs: ["a", "b"]))
        let named = Fixtures.temporaryDirectory()
        for name in ["a", "b", "w"] { try NumpyFile.write(M.tensor(M.a), to: "\(named)/\(name).npy") }
        let error = try refusal(named)
        #expect(error == .parameter(file: named + "/w.npy", name: "w", inputs: ["a", "b"]))
        #expect(error.description.contains("it is a parameter of the model, not data"))
    }

    @Test func missingInputs() throws {
        let dir = Fixtures.temporaryDirectory()
        try M.writeTensors([("input_0", M.a, "")], in: dir)
        let error = try refusal(dir)
        #expect(error == .missingInputs(directory: dir, missing: [.init(name: "b", type: "float32[2]", files: [])]))
        #expect(error.description.contains("gives no value for input 'b' (float32[2])"))
        let named = Fixtures.temporaryDirectory()
        try NumpyFile.write(M.tensor(M.b), to: named + "/b.npy")
        #expect(try refusal(named) == .missingInputs(directory: named, missing: [.init(name: "a", type: "float32[2]", files: ["a.npy", "a.pb"])]))
    }

    @Test func twoFilesForOneInput() throws {
        let dir = Fixtures.temporaryDirectory()
        try M.writeTensors([("input_0", M.a, ""), ("input_1", M.b, "a")], in: dir)
        #expect(try refusal(dir) == .boundTwice(name: "a", role: .input, files: [dir + "/input_0.pb", dir + "/input_1.pb"]))
        let named = Fixtures.temporaryDirectory()
        try NumpyFile.write(M.tensor(M.a), to: named + "/a.npy")
        try TensorFile.write(M.tensor(M.a), to: named + "/a.pb")
        #expect(try refusal(named) == .boundTwice(name: "a", role: .input, files: [named + "/a.npy", named + "/a.pb"]))
    }

    @Test func unnamedTensorPastTheLastInput() throws {
        let dir = Fixtures.temporaryDirectory()
        try M.writeTensors([("input_0", M.a, ""), ("input_1", M.b, ""), ("input_2", M.w, "")], in: dir)
        let error = try refusal(dir)
        #expect(error == .beyondLastPosition(file: dir + "/input_2.pb", position: 2, role: .input, names: ["a", "b"]))
        #expect(error.description.contains("the model has only 2 inputs without an initializer ('a', 'b')"))
    }

    @Test func wrongElementTypeIsRefusedByTheEvaluatorsCheck() throws {
        let dir = Fixtures.temporaryDirectory()
        try TensorFile.write(Tensor.make(name: "", type: .double, dims: [2], values: M.a), to: dir + "/input_0.pb")
        try M.writeTensors([("input_1", M.b, "")], in: dir)
        #expect(try refusal(dir) == .inputMismatch(name: "a", file: dir + "/input_0.pb", expected: "float32[2]", actual: "float64[2]"))
    }

    @Test func directoriesWithoutData() throws {
        let absent = Fixtures.temporaryDirectory() + "/absent"
        #expect(try refusal(absent) == .notADirectory(absent))
        let empty = Fixtures.temporaryDirectory()
        let error = try refusal(empty)
        #expect(error == .noData(directory: empty, expectedFiles: ["a.npy", "a.pb", "b.npy", "b.pb"]))
        #expect(error.description.contains("no test_data_set_N directories"))
        let file = empty + "/input_0.pb"
        try Data([0x0A, 0xFF, 0xFF, 0x01, 0x02]).write(to: URL(fileURLWithPath: file))
        guard case .file(.malformed(let path, _)) = try refusal(empty) else { Issue.record("not a malformed-file error"); return }
        #expect(path == file)
    }

    @Test func inputsSharingAFileName() throws {
        func float2(_ name: String) -> ValueInfo {
            ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(2)])))
        }
        let graph = Graph(inputs: [float2("x/0"), float2("x:0")], outputs: [float2("y")],
                          nodes: [NodeSpec(opType: "Add", opsetVersion: 17, inputs: ["x/0", "x:0"], outputs: ["y"])])
        let dir = Fixtures.temporaryDirectory()
        #expect(throws: FeedError.sharedFileName(file: "x_0", inputs: ["x/0", "x:0"])) {
            try FeedDirectory.samples(in: dir, for: graph)
        }
    }
}
