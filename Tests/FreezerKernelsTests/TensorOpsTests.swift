import Foundation
import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// Expects `a` to equal `b`: shape and type exactly, floats within 1e-5 relative (Double sums may
/// differ from onnxruntime's float32 sums in the last bits).
func expectMatches(_ a: NDArray, _ b: NDArray, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.shape == b.shape && a.elementType == b.elementType, "\(what): got \(a), expected \(b)", sourceLocation: sourceLocation)
    switch (a.storage, b.storage) {
    case let (.float(x), .float(y)):
        #expect(isClose(x, y, rtol: 1e-5, atol: 1e-6), "\(what): got \(x), expected \(y)", sourceLocation: sourceLocation)
    case let (.double(x), .double(y)):
        #expect(x.count == y.count && zip(x, y).allSatisfy { abs($0 - $1) <= 1e-12 + 1e-9 * abs($1) }, "\(what): got \(x), expected \(y)", sourceLocation: sourceLocation)
    default:
        #expect(a.storage == b.storage, "\(what): got \(a.storage), expected \(b.storage)", sourceLocation: sourceLocation)
    }
}

/// Expects the node to fail with a message containing `text`.
func expectFailure(_ op: String, _ inputs: [NDArray?], attributes: [Attribute] = [], opset: Int64 = 17, outputs: Int = 1,
                   mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let error = #expect(throws: EvaluationError.self, sourceLocation: sourceLocation) {
        try runNode(op, inputs, attributes: attributes, outputs: outputs, opset: opset)
    }
    #expect(error?.description.contains(text) == true, "message was: \(error?.description ?? "none")", sourceLocation: sourceLocation)
}

@Suite("TensorOps")
struct TensorOpsTests {
    @Test(arguments: tensorOrtCases)
    func matchesOnnxruntime(_ c: OrtCase) throws {
        let out = try runNode(c.op, c.inputs, attributes: c.attributes, outputs: c.outputs.count, opset: c.opset)
        for (k, (got, expected)) in zip(out, c.outputs).enumerated() { expectMatches(got, expected, "\(c.name) output \(k)") }
    }

    // MARK: Constant

    @Test func constantForms() throws {
        func constant(_ a: Attribute) throws -> NDArray { try runNode("Constant", [], attributes: [a], opset: 13)[0] }
        #expect(try constant(Attribute(name: "value", value: .tensor(Tensor.make(name: "t", type: .float16, dims: [2], values: [1.5, -2])))) == NDArray(floats: [1.5, -2], shape: [2], type: .float16))
        #expect(try constant(attr("value_float", Float(2.5))) == NDArray(floats: [2.5], shape: []))
        #expect(try constant(Attribute(name: "value_floats", value: .floats([1, 2]))) == NDArray(floats: [1, 2], shape: [2]))
        #expect(try constant(attr("value_int", Int64(-4))) == NDArray(ints: [-4], shape: []))
        #expect(try constant(attr("value_ints", [3, 4, 5] as [Int64])) == NDArray(ints: [3, 4, 5], shape: [3]))
        #expect(try constant(attr("value_string", "hi")) == NDArray(strings: ["hi"], shape: []))
        #expect(try constant(Attribute(name: "value_strings", value: .strings([Array("a".utf8), Array("b".utf8)]))) == NDArray(strings: ["a", "b"], shape: [2]))
    }

    @Test func constantRefusesSparseAndAmbiguousForms() {
        expectFailure("Constant", [], attributes: [Attribute(name: "sparse_value", value: .opaque(kind: 11))], opset: 13, mentioning: "sparse_value (densify the tensor first) is not supported")
        expectFailure("Constant", [], attributes: [attr("value_int", Int64(1)), attr("value_float", Float(1))], opset: 13, mentioning: "exactly one")
        expectFailure("Constant", [], opset: 13, mentioning: "exactly one")
    }

    @Test func constantOfShapeDefaultsToFloatZeroAndScalarShape() throws {
        #expect(try runNode("ConstantOfShape", [NDArray(ints: [2], shape: [1])], opset: 9)[0] == NDArray(floats: [0, 0], shape: [2]))
        #expect(try runNode("ConstantOfShape", [NDArray(ints: [], shape: [0])], opset: 9)[0] == NDArray(floats: [0], shape: []))
        expectFailure("ConstantOfShape", [NDArray(ints: [2, -1], shape: [2])], opset: 9, mentioning: "-1 is not a valid dimension")
    }

    @Test func shapeSizeIdentity() throws {
        let x = NDArray(floats: [1, 2, 3, 4, 5, 6], shape: [1, 2, 3], type: .float16)
        #expect(try runNode("Shape", [x], opset: 13)[0] == NDArray(ints: [1, 2, 3], shape: [3]))
        #expect(try runNode("Size", [x], opset: 13)[0] == NDArray(ints: [6], shape: []))
        #expect(try runNode("Identity", [x], opset: 13)[0] == x)
    }

    // MARK: Types are preserved

    @Test func shapeOperatorsKeepFloat16AndStrings() throws {
        let h = NDArray(floats: [1, 2, 3, 4, 5, 6], shape: [2, 3], type: .float16)
        #expect(try runNode("Transpose", [h])[0] == NDArray(floats: [1, 4, 2, 5, 3, 6], shape: [3, 2], type: .float16))
        let s = NDArray(strings: ["a", "b", "c"], shape: [3])
        #expect(try runNode("Gather", [s, NDArray(ints: [2, 0], shape: [2])])[0] == NDArray(strings: ["c", "a"], shape: [2]))
        #expect(try runNode("Slice", [s, NDArray(ints: [-1], shape: [1]), NDArray(ints: [-10], shape: [1]), NDArray(ints: [0], shape: [1]), NDArray(ints: [-1], shape: [1])])[0]
                == NDArray(strings: ["c", "b", "a"], shape: [3]))
        let b = NDArray(bools: [true, false], shape: [2])
        #expect(try runNode("Pad", [b, NDArray(ints: [1, 1], shape: [2])], opset: 13)[0] == NDArray(bools: [false, true, false, false], shape: [4]))
    }

    @Test func integerReductionsWrapToTheirType() throws {
        let x = NDArray(ints: [100, 100], shape: [2], type: .int8)
        #expect(try runNode("ReduceSum", [x], attributes: [attr("keepdims", Int64(0))], opset: 13)[0] == NDArray(ints: [-56], shape: [], type: .int8))
    }

    // MARK: Opset forms

    @Test func splitOpset1TakesSizesFromInputOrAttribute() throws {
        let x = NDArray(floats: [1, 2, 3], shape: [3])
        let fromInput = try runNode("Split", [x, NDArray(ints: [1, 2], shape: [2])], outputs: 2, opset: 1)
        #expect(fromInput == [NDArray(floats: [1], shape: [1]), NDArray(floats: [2, 3], shape: [2])])
        let fromAttribute = try runNode("Split", [x], attributes: [attr("split", [2, 1] as [Int64])], outputs: 2, opset: 1)
        #expect(fromAttribute == [NDArray(floats: [1, 2], shape: [2]), NDArray(floats: [3], shape: [1])])
    }

    @Test func reshapeOpset1UsesTheShapeAttribute() throws {
        let x = NDArray(floats: [1, 2, 3, 4], shape: [4])
        #expect(try runNode("Reshape", [x], attributes: [attr("shape", [2, -1] as [Int64])], opset: 1)[0] == x.reshaped([2, 2]))
    }

    @Test func padOpset1UsesPaddingsAndValue() throws {
        let x = NDArray(floats: [1, 2], shape: [2])
        let out = try runNode("Pad", [x], attributes: [attr("paddings", [1, 0] as [Int64]), attr("value", Float(-1))], opset: 1)
        #expect(out[0] == NDArray(floats: [-1, 1, 2], shape: [3]))
    }

    @Test func tileOpset1RepeatsAlongOneAxis() throws {
        let x = NDArray(floats: [1, 2, 3, 4], shape: [2, 2])
        let out = try runNode("Tile", [x, NDArray(ints: [2], shape: []), NDArray(ints: [1], shape: [])], opset: 1)
        #expect(out[0] == NDArray(floats: [1, 2, 1, 2, 3, 4, 3, 4], shape: [2, 4]))
    }

    @Test func reductionNoopAndEmptyAxesAtOpset18() throws {
        let x = NDArray(floats: [1, 2, 3, 4], shape: [2, 2])
        #expect(try runNode("ReduceMax", [x, NDArray(ints: [], shape: [0])], attributes: [attr("noop_with_empty_axes", Int64(1))], opset: 18)[0] == x)
        #expect(try runNode("ReduceMax", [x, nil], attributes: [attr("keepdims", Int64(0))], opset: 18)[0] == NDArray(floats: [4], shape: []))
        #expect(try runNode("ReduceMax", [x], attributes: [attr("axes", [1] as [Int64])], opset: 13)[0] == NDArray(floats: [2, 4], shape: [2, 1]))
    }

    @Test func reductionsPropagateNaN() throws {
        let x = NDArray(floats: [1, .nan, 3], shape: [3])
        #expect(try runNode("ReduceMax", [x], opset: 13)[0].floats[0].isNaN)
        #expect(try runNode("ReduceLogSumExp", [x], opset: 13)[0].floats[0].isNaN)
    }

    // MARK: Errors name the input at fault

    @Test func indexErrorsAreClear() {
        let x = NDArray(floats: [1, 2, 3], shape: [3])
        expectFailure("Gather", [x, NDArray(ints: [3], shape: [1])], mentioning: "'indices' value 3 is out of range for a dimension of size 3")
        expectFailure("Gather", [x, NDArray(ints: [-4], shape: [1], type: .int32)], mentioning: "valid: -3...2")
        expectFailure("Gather", [x, NDArray(floats: [0], shape: [1])], mentioning: "must be an integer tensor")
        expectFailure("GatherElements", [x, NDArray(ints: [5], shape: [1])], mentioning: "out of range")
        expectFailure("GatherND", [x.reshaped([3, 1]), NDArray(ints: [0, 0, 0], shape: [1, 3])], mentioning: "last dimension of 'indices'")
        expectFailure("ScatterND", [x, NDArray(ints: [7], shape: [1, 1]), NDArray(floats: [1], shape: [1])], mentioning: "out of range")
        expectFailure("ScatterND", [x, NDArray(ints: [0], shape: [1, 1]), NDArray(floats: [1, 2], shape: [2])], mentioning: "'updates' shape [2] must be [1]")
        expectFailure("ScatterND", [x, NDArray(ints: [0], shape: [1, 1]), NDArray(floats: [1], shape: [1])],
                      attributes: [attr("reduction", "max")], opset: 16, mentioning: "'reduction' 'max'")
    }

    @Test func shapeErrorsAreClear() {
        let x = NDArray(floats: [1, 2, 3, 4, 5, 6], shape: [2, 3])
        expectFailure("Reshape", [x, NDArray(ints: [4, -1], shape: [2])], mentioning: "cannot infer the -1")
        expectFailure("Reshape", [x, NDArray(ints: [-1, -1], shape: [2])], mentioning: "more than one -1")
        expectFailure("Reshape", [x, NDArray(ints: [0, -1], shape: [2])], attributes: [attr("allowzero", Int64(1))], opset: 14, mentioning: "both 0 and -1")
        expectFailure("Transpose", [x], attributes: [attr("perm", [0, 0] as [Int64])], mentioning: "not a permutation")
        expectFailure("Squeeze", [x, NDArray(ints: [0], shape: [1])], opset: 13, mentioning: "its size is not 1")
        expectFailure("Squeeze", [x.reshaped([1, 2, 3])], attributes: [attr("axes", [-3] as [Int64])], opset: 1, mentioning: "before opset 11")
        expectFailure("Unsqueeze", [x, NDArray(ints: [0, 0], shape: [2])], opset: 13, mentioning: "names axis 0 twice")
        expectFailure("Concat", [x, NDArray(floats: [1, 2], shape: [2, 1]).reshaped([1, 2])], attributes: [attr("axis", Int64(0))], mentioning: "does not match input 0 shape")
        expectFailure("Split", [x], attributes: [attr("axis", Int64(1))], opset: 13, outputs: 2, mentioning: "cannot be split evenly")
        expectFailure("Split", [x, NDArray(ints: [1, 1], shape: [2])], attributes: [attr("axis", Int64(1))], opset: 13, outputs: 2, mentioning: "do not add up to 3")
        expectFailure("Slice", [x, NDArray(ints: [0], shape: [1]), NDArray(ints: [1], shape: [1]), NDArray(ints: [0], shape: [1]), NDArray(ints: [0], shape: [1])], mentioning: "'steps' value for axis 0 is 0")
        expectFailure("Expand", [x, NDArray(ints: [4, 3], shape: [2])], mentioning: "cannot be broadcast")
        expectFailure("Tile", [x, NDArray(ints: [2], shape: [1])], mentioning: "'repeats' has 1 values")
        expectFailure("Pad", [x, NDArray(ints: [0, 3, 0, 0], shape: [4])], attributes: [attr("mode", "reflect")], opset: 13, mentioning: "exceed 2")
        expectFailure("Pad", [x, NDArray(ints: [0, 0], shape: [2])], opset: 13, mentioning: "'pads' has 2 values; expected 4")
        expectFailure("DepthToSpace", [x.reshaped([1, 6, 1, 1])], attributes: [attr("blocksize", Int64(2))], mentioning: "not divisible")
        expectFailure("TopK", [x, NDArray(ints: [4], shape: [1])], opset: 11, outputs: 2, mentioning: "k = 4 is out of range")
        expectFailure("ReduceSum", [x, NDArray(ints: [2], shape: [1])], opset: 13, mentioning: "out of range for rank 2")
        expectFailure("Range", [NDArray.scalar(0, type: .float), NDArray.scalar(1, type: .float), NDArray.scalar(0, type: .float)], opset: 11, mentioning: "must not be zero")
    }

    @Test func einsumRefusesMismatches() {
        let m = NDArray(floats: [1, 2, 3, 4], shape: [2, 2])
        // A repeated label takes a diagonal (see SupplementaryOperatorsTests), which needs equal sizes.
        expectFailure("Einsum", [NDArray(floats: [1, 2, 3, 4, 5, 6], shape: [2, 3])], attributes: [attr("equation", "ii->i")], opset: 12,
                      mentioning: "over axes of different sizes")
        expectFailure("Einsum", [m, NDArray(floats: [1, 2, 3], shape: [3])], attributes: [attr("equation", "ij,j->i")], opset: 12, mentioning: "label 'j' has size 2")
        expectFailure("Einsum", [m], attributes: [attr("equation", "ijk->i")], opset: 12, mentioning: "does not match input 0")
        expectFailure("Einsum", [m], attributes: [attr("equation", "ij->z")], opset: 12, mentioning: "appears in no input")
    }

    @Test func resizeRefusesUnsupportedModes() {
        let img = NDArray(floats: [1, 2, 3, 4], shape: [1, 1, 2, 2])
        let scales = NDArray(floats: [1, 1, 2, 2], shape: [4])
        // Cubic mode and antialiasing are computed (see VisionSignalTests); an unknown mode is refused.
        expectFailure("Resize", [img, nil, scales], attributes: [attr("mode", "area")], opset: 13, mentioning: "is not one of nearest, linear, cubic")
        expectFailure("Resize", [img, nil, scales, NDArray(ints: [1, 1, 4, 4], shape: [4])], opset: 13, mentioning: "exactly one of the inputs")
        expectFailure("Resize", [img, nil, scales], attributes: [attr("coordinate_transformation_mode", "half_pixel_symmetric")], opset: 18, mentioning: "not valid at opset 18")
        expectFailure("Upsample", [img], attributes: [Attribute(name: "scales", value: .floats([1, 1, 0.5, 1]))], opset: 7, mentioning: "at least 1")
    }

    @Test func resultsAreDeterministic() throws {
        var x = [Float](repeating: 0, count: 4096)
        for i in x.indices { x[i] = Float(sin(Double(i))) * 1000 }
        let a = NDArray(floats: x, shape: [64, 64])
        let first = try runNode("ReduceSum", [a, NDArray(ints: [1], shape: [1])], opset: 13)
        let second = try runNode("ReduceSum", [a, NDArray(ints: [1], shape: [1])], opset: 13)
        #expect(first == second)
    }
}
