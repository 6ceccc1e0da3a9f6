import Foundation
import FreezerIR
import FreezerONNX

/// A model whose graph lists a parameter before its inputs, with test data that binds only by position.
///
/// Inputs w (an initializer, listed first), a and b, all float32[2]; outputs s = a + w and d = a - b.
/// `test_data_set_0` holds input_0.pb = a, input_1.pb = b, output_0.pb = s and output_1.pb = d, every
/// tensor without a name, so binding by graph-input order (w, a, ...) and by runtime-input order (a, b)
/// give different inputs.
public enum ParametersFirstModel {
    public static let w: [Double] = [10, 20]
    public static let a: [Double] = [1, 2]
    public static let b: [Double] = [3, 5]
    public static var s: [Double] { zip(a, w).map { $0 + $1 } }
    public static var d: [Double] { zip(a, b).map { $0 - $1 } }

    public static var model: Model {
        func float2(_ name: String) -> ValueInfo {
            ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(2)])))
        }
        let graph = Graph(name: "parameters_first", inputs: [float2("w"), float2("a"), float2("b")],
                          outputs: [float2("s"), float2("d")], initializers: [tensor(w, name: "w")],
                          nodes: [NodeSpec(name: "add", opType: "Add", opsetVersion: 17, inputs: ["a", "w"], outputs: ["s"]),
                                  NodeSpec(name: "sub", opType: "Sub", opsetVersion: 17, inputs: ["a", "b"], outputs: ["d"])])
        return Model(irVersion: 8, opsetImports: [OpsetImport(domain: "", version: 17)], producerName: "freezer tests", graph: graph)
    }

    /// A fresh directory holding `model.onnx` and `test_data_set_0` with unnamed tensors.
    public static func write() throws -> String {
        let dir = Fixtures.temporaryDirectory("parameters-first")
        try ModelSaver.save(model, to: dir + "/model.onnx")
        let set = dir + "/test_data_set_0"
        try FileManager.default.createDirectory(atPath: set, withIntermediateDirectories: false)
        try writeTensors([("input_0", a, ""), ("input_1", b, ""), ("output_0", s, ""), ("output_1", d, "")], in: set)
        return dir
    }

    /// Writes float32[2] tensors as `<file>.pb` in `dir`, each with the stored name given ("" for none).
    public static func writeTensors(_ files: [(file: String, values: [Double], name: String)], in dir: String) throws {
        for f in files { try TensorFile.write(tensor(f.values, name: f.name), to: "\(dir)/\(f.file).pb") }
    }

    /// A float32[2] tensor; the name is the one stored in a file (empty: none).
    public static func tensor(_ values: [Double], name: String = "") -> Tensor {
        Tensor.make(name: name, type: .float, dims: [Int64(values.count)], values: values)
    }
}
