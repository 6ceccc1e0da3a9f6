import Testing
@testable import FreezerIR
@testable import FreezerKernels

// Expected values follow from the ai.onnx.ml operator definitions (Operators-ml.md), worked out by hand.

@Suite("ai.onnx.ml operators")
struct MachineLearningOperatorTests {
    static func run(_ op: String, _ inputs: [NDArray], _ attributes: [Attribute], opset: Int64,
                    precision: Precision = .own) throws -> NDArray {
        let out = try Seq.runNode(op, inputs.map(RuntimeValue.tensor), attributes: attributes, opset: opset,
                                  domain: "ai.onnx.ml", precision: precision)[0]
        guard let a = out.tensor else { throw EvaluationError.cycle("not a tensor") }
        return a
    }

    static func tensorAttr(_ name: String, _ t: Tensor) -> Attribute { Attribute(name: name, value: .tensor(t)) }
    static func strings(_ name: String, _ v: [String]) -> Attribute { Attribute(name: name, value: .strings(v.map { Array($0.utf8) })) }
    static func floats(_ name: String, _ v: [Float]) -> Attribute { Attribute(name: name, value: .floats(v)) }

    @Test func binarizerIsStrictlyGreater() throws {
        let y = try Self.run("Binarizer", [NDArray(floats: [0.5, 1, 1.5, .nan], shape: [4])], [attr("threshold", Float(1))], opset: 1)
        #expect(y == NDArray(floats: [0, 0, 1, 0], shape: [4]))
        let yi = try Self.run("Binarizer", [NDArray(ints: [-1, 0, 2], shape: [3])], [], opset: 1)
        #expect(yi == NDArray(ints: [0, 0, 1], shape: [3]))
    }

    @Test func arrayFeatureExtractorPicksAlongTheLastAxis() throws {
        let x = NDArray(floats: [1, 2, 3, 4, 5, 6], shape: [2, 3])
        #expect(try Self.run("ArrayFeatureExtractor", [x, NDArray(ints: [2, 0, 2], shape: [3])], [], opset: 1)
                == NDArray(floats: [3, 1, 3, 6, 4, 6], shape: [2, 3]))
        // A vector gives one row.
        #expect(try Self.run("ArrayFeatureExtractor", [NDArray(ints: [7, 8, 9], shape: [3]), NDArray(ints: [1], shape: [1, 1])], [], opset: 1)
                == NDArray(ints: [8], shape: [1, 1]))
        #expect(cfErrorText { _ = try Self.run("ArrayFeatureExtractor", [x, NDArray(ints: [3], shape: [1])], [], opset: 1) }.contains("out of range"))
    }

    /// Float keys: every NaN matches a NaN key, -0.0 matches 0.0, a repeated key takes its last value.
    @Test(arguments: [Precision.own, .float64])
    func labelEncoderFloatKeys(precision: Precision) throws {
        let x = NDArray(floats: [.nan, -0.0, 2, 5], shape: [2, 2])
        let y = try Self.run("LabelEncoder", [x], [Self.floats("keys_floats", [.nan, 0, 2, 2]), attr("values_int64s", [10, 20, 30, 40]),
                                                   attr("default_int64", Int64(-7))], opset: 2, precision: precision)
        #expect(y == NDArray(ints: [10, 20, 40, -7], shape: [2, 2]))
    }

    @Test func labelEncoderDefaultsByValueType() throws {
        let x = NDArray(strings: ["a", "z"], shape: [2])
        let toFloat = try Self.run("LabelEncoder", [x], [Self.strings("keys_strings", ["a"]), Self.floats("values_floats", [1.5])], opset: 2)
        #expect(toFloat.floats[0] == 1.5 && toFloat.floats[1] == 0 && toFloat.floats[1].sign == .minus)
        let toString = try Self.run("LabelEncoder", [NDArray(ints: [1, 9], shape: [2])],
                                    [attr("keys_int64s", [1]), Self.strings("values_strings", ["one"])], opset: 2)
        #expect(toString == NDArray(strings: ["one", "_Unused"], shape: [2]))
        // values_tensor without default_tensor: -1 in the values' integer type.
        let values = Tensor.make(name: "v", type: .int16, dims: [1], values: [5])
        let toInt16 = try Self.run("LabelEncoder", [x], [Self.strings("keys_strings", ["a"]), Self.tensorAttr("values_tensor", values)], opset: 4)
        #expect(toInt16 == NDArray(ints: [5, -1], shape: [2], type: .int16))
        // Opset 1: strings to their index in classes_strings, and back.
        #expect(try Self.run("LabelEncoder", [x], [Self.strings("classes_strings", ["q", "a"])], opset: 1) == NDArray(ints: [1, -1], shape: [2]))
        #expect(try Self.run("LabelEncoder", [NDArray(ints: [0, 2], shape: [2])], [Self.strings("classes_strings", ["q", "a"]), attr("default_string", "?")], opset: 1)
                == NDArray(strings: ["q", "?"], shape: [2]))
    }

    /// Two trees on 2 features, 2 targets.
    /// Tree 0 (root node 0): x0 <= 1 ? leaf 0 (target 0, w 4) : node 1; node 1: x1 in {3, 5} ? leaf 1 (target 1, w 2) : leaf 2 (target 0, w -6).
    /// Tree 1 (root node 2): x1 > 0 (NaN tracks true) ? leaf 3 (target 0, w 1) : leaf 4 (target 1, w 8).
    static func treeAttributes(aggregate: Int64) -> [Attribute] {
        [
            tensorAttr("nodes_modes", Tensor.make(name: "m", type: .uint8, dims: [3], values: [0, 6, 3])),
            tensorAttr("nodes_splits", Tensor.make(name: "s", type: .float, dims: [3], values: [1, 0, 0])),
            attr("nodes_featureids", [0, 1, 1]),
            attr("nodes_truenodeids", [0, 1, 3]), attr("nodes_trueleafs", [1, 1, 1]),
            attr("nodes_falsenodeids", [1, 2, 4]), attr("nodes_falseleafs", [0, 1, 1]),
            attr("nodes_missing_value_tracks_true", [0, 0, 1]),
            tensorAttr("membership_values", Tensor.make(name: "mv", type: .float, dims: [3], values: [3, 5, .nan])),
            tensorAttr("leaf_weights", Tensor.make(name: "w", type: .float, dims: [5], values: [4, 2, -6, 1, 8])),
            attr("leaf_targetids", [0, 1, 0, 0, 1]),
            attr("tree_roots", [0, 2]), attr("n_targets", Int64(2)), attr("aggregate_function", aggregate),
        ]
    }

    /// Rows: (0, -1): leaves 0 and 4; (2, 5): leaves 1 and 3; (2, NaN): leaves 2 and 3 (NaN is in no set, and tracks true in tree 1).
    static let aggregates: [(Int64, [Double])] = [
        (1, [4, 8, 1, 2, -5, 0]), (0, [2, 4, 0.5, 1, -2.5, 0]),
        (2, [4, 8, 1, 2, -6, Double(Float.greatestFiniteMagnitude)]), (3, [4, 8, 1, 2, 1, -Double(Float.greatestFiniteMagnitude)]),
    ]

    @Test(arguments: aggregates)
    func treeEnsembleAggregates(aggregate: Int64, expected: [Double]) throws {
        let x = NDArray(floats: [0, -1, 2, 5, 2, .nan], shape: [3, 2])
        let y = try Self.run("TreeEnsemble", [x], Self.treeAttributes(aggregate: aggregate), opset: 5)
        #expect(y.shape == [3, 2] && y.elementType == .float)
        #expect(y.asDoubles == expected)
    }

    @Test func treeEnsembleInFloat64AndRefusals() throws {
        let x = NDArray(floats: [0, -1, 2, 5, 2, .nan], shape: [3, 2])
        let y = try Self.run("TreeEnsemble", [x], Self.treeAttributes(aggregate: 1), opset: 5, precision: .float64)
        #expect(y == NDArray(doubles: [4, 8, 1, 2, -5, 0], shape: [3, 2]))
        let softmax = Self.treeAttributes(aggregate: 1) + [attr("post_transform", Int64(1))]
        #expect(cfErrorText { _ = try Self.run("TreeEnsemble", [x], softmax, opset: 5) }.contains("post_transform SOFTMAX is not supported"))
        var cyclic = Self.treeAttributes(aggregate: 1)
        cyclic[3] = attr("nodes_truenodeids", [0, 1, 2])
        cyclic[4] = attr("nodes_trueleafs", [1, 1, 0])
        #expect(cfErrorText { _ = try Self.run("TreeEnsemble", [x], cyclic, opset: 5) }.contains("cycle"))
    }
}
