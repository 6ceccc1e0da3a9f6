import Testing
@testable import FreezerIR
@testable import FreezerInspect
@testable import FreezerPasses

/// Every condition the fold matcher checks can fail, and when it does, its text is both the pass's skip
/// reason and inspect's `notFoldableReason`.
@Suite("FoldBatchNorm skip reasons")
struct FoldSkipReasonTests {
    /// One per case of `BatchNormFoldFailure`; `reason(of:)` is exhaustive, so a new case needs a graph here.
    enum Reason: String, CaseIterable, Sendable {
        case trainingMode, perActivation, missingInput, inputNotFromNode, producerNotLinear, addNotBinary, addWithoutMatMul
        case addBiasNotConstant, notFirstOutput, outputIsGraphOutput, outputReadByOthers, missingOperand, operandNotConstant
        case statisticNotConstant, quantizedOperand, quantizedWeightNotFoldable, quantizedScaleSign, nonFiniteFactor, unreadable, unsupportedType, emptyWeight, statisticsDifferInLength, noChannels
        case channelMismatch, groupMismatch, weightNot2D, biasShape, gemmBiasShape, matMulRankUnknown, matMulRank
    }

    static func reason(of failure: BatchNormFoldFailure) -> Reason {
        switch failure {
        case .trainingMode: .trainingMode
        case .perActivation: .perActivation
        case .missingInput: .missingInput
        case .inputNotFromNode: .inputNotFromNode
        case .producerNotLinear: .producerNotLinear
        case .addNotBinary: .addNotBinary
        case .addWithoutMatMul: .addWithoutMatMul
        case .addBiasNotConstant: .addBiasNotConstant
        case .notFirstOutput: .notFirstOutput
        case .outputIsGraphOutput: .outputIsGraphOutput
        case .outputReadByOthers: .outputReadByOthers
        case .missingOperand: .missingOperand
        case .operandNotConstant: .operandNotConstant
        case .statisticNotConstant: .statisticNotConstant
        case .quantizedOperand: .quantizedOperand
        case .quantizedWeightNotFoldable: .quantizedWeightNotFoldable
        case .quantizedScaleSign: .quantizedScaleSign
        case .nonFiniteFactor: .nonFiniteFactor
        case .unreadable: .unreadable
        case .unsupportedType: .unsupportedType
        case .emptyWeight: .emptyWeight
        case .statisticsDifferInLength: .statisticsDifferInLength
        case .noChannels: .noChannels
        case .channelMismatch: .channelMismatch
        case .groupMismatch: .groupMismatch
        case .weightNot2D: .weightNot2D
        case .biasShape: .biasShape
        case .gemmBiasShape: .gemmBiasShape
        case .matMulRankUnknown: .matMulRankUnknown
        case .matMulRank: .matMulRank
        }
    }

    static let stats = BatchNormStats.random(2, seed: 5)

    /// A graph whose BatchNormalization `bn` fails exactly at `reason`: mostly Conv(x, W) → c → bn → y
    /// with two channels, changed in one place.
    static func model(failing reason: Reason) -> Model {
        var s = GraphSketch()
        s.input("x", [1, 2, 3, 3])
        var weightDims: [Int64] = [2, 2, 1, 1]
        var statistics: BatchNormStats? = stats
        var bnInput = "c"
        var bnAttributes: [Attribute] = []
        func conv(_ ins: [String] = ["x", "W"], outputs: [String] = ["c"]) {
            if ins.contains("W") { s.constant("W", Array(repeating: 0.5, count: Int(weightDims.reduce(1, *))), weightDims) }
            s.node("Conv", ins, outputs, name: "conv")
        }
        /// W = DequantizeLinear(int8 threes, scale, 0) along `axis` (nil: a scalar scale).
        func quantizedWeight(dims: [Int64], scale: [Double], axis: Int64?) {
            s.constant("W_q", [Double](repeating: 3, count: Int(dims.reduce(1, *))), dims, type: .int8)
            s.constant("W_scale", scale, axis == nil ? [] : [Int64(scale.count)])
            s.constant("W_zero", [Double](repeating: 0, count: scale.count), axis == nil ? [] : [Int64(scale.count)], type: .int8)
            s.node("DequantizeLinear", ["W_q", "W_scale", "W_zero"], ["W"], name: "dequantize",
                   axis.map { [Attribute(name: "axis", value: .int($0))] } ?? [])
        }
        func matMul(x: [Int64]? = [4, 2], w: [Int64] = [2, 2]) {
            s.inputs = x.map { [ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: $0.map { .value($0) })))] }
                ?? [ValueInfo(name: "x", type: nil)]
            s.constant("W", Array(repeating: 0.5, count: Int(w.reduce(1, *))), w)
            s.node("MatMul", ["x", "W"], ["mm"], name: "mm")
        }
        switch reason {
        case .trainingMode: conv(); bnAttributes = [Attribute(name: "training_mode", value: .int(1))]
        case .perActivation: s.opset = 7; conv(); bnAttributes = [Attribute(name: "spatial", value: .int(0))]
        case .missingInput:
            conv()
            s.statistics(stats)
            statistics = nil
            s.node("BatchNormalization", ["c", "bn_scale", "bn_bias", "bn_mean"], ["y"], name: "bn")
        case .inputNotFromNode: bnInput = "x"
        case .producerNotLinear: s.node("Relu", ["x"], ["c"], name: "relu")
        case .addNotBinary: matMul(); s.node("Add", ["mm"], ["c"], name: "add")
        case .addWithoutMatMul: s.constant("b", [1, 2], [2]); s.node("Add", ["x", "b"], ["c"], name: "add")
        case .addBiasNotConstant: matMul(); s.input("b", [2]); s.node("Add", ["mm", "b"], ["c"], name: "add")
        case .notFirstOutput: conv(outputs: ["c0", "c"])
        case .outputIsGraphOutput: conv(); s.output("c")
        case .outputReadByOthers: conv(); s.node("Relu", ["c"], ["r"], name: "relu"); s.output("r")
        case .missingOperand: conv(["x"])
        case .operandNotConstant: s.input("W", weightDims); s.node("Conv", ["x", "W"], ["c"], name: "conv")
        case .quantizedOperand:
            // A MatMul's dequantized weight (only a Conv's per-channel scales can absorb the factor).
            s.inputs = [ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(4), .value(2)])))]
            quantizedWeight(dims: [2, 2], scale: [0.02, 0.03], axis: 1)
            s.node("MatMul", ["x", "W"], ["mm"], name: "mm")
            bnInput = "mm"
        case .quantizedWeightNotFoldable:
            // One scale for the whole tensor: a per-channel factor cannot be absorbed without new integers.
            quantizedWeight(dims: weightDims, scale: [0.02], axis: nil)
            s.node("Conv", ["x", "W"], ["c"], name: "conv")
        case .quantizedScaleSign:
            quantizedWeight(dims: weightDims, scale: [0.02, 0.03], axis: 0)
            s.node("Conv", ["x", "W"], ["c"], name: "conv")
            statistics = BatchNormStats(scale: [1, -1], bias: stats.bias, mean: stats.mean, variance: stats.variance)
        case .nonFiniteFactor:
            // ε = 0 and a variance of 0: channel 1's factor is infinite.
            conv()
            statistics = BatchNormStats(scale: stats.scale, bias: stats.bias, mean: stats.mean, variance: [stats.variance[0], 0])
            bnAttributes = [Attribute(name: "epsilon", value: .float(0))]
        case .statisticNotConstant:
            conv()
            s.input("bn_scale", [2])
            for (role, values) in [("bias", stats.bias), ("mean", stats.mean), ("var", stats.variance)] { s.constant("bn_\(role)", values, [2]) }
            statistics = nil
        case .unreadable:
            // Six bytes where the shape needs 16: the size check refuses it before anything reads it.
            s.initializers.append(Tensor(name: "W", elementType: .float, dims: weightDims, payload: .raw(Bytes([0, 0, 0, 0, 0, 0]))))
            s.node("Conv", ["x", "W"], ["c"], name: "conv")
        case .unsupportedType:
            s.initializers.append(Tensor(name: "W", elementType: .float8e4m3fn, dims: weightDims, payload: .raw(Bytes([56, 56, 56, 56]))))
            s.node("Conv", ["x", "W"], ["c"], name: "conv")
        case .emptyWeight: weightDims = [2, 0, 1, 1]; conv()
        case .statisticsDifferInLength: conv(); statistics?.mean = [0, 0, 0]
        case .noChannels: conv(); statistics = BatchNormStats(scale: [], bias: [], mean: [], variance: [])
        case .channelMismatch: weightDims = [3, 2, 1, 1]; conv()
        case .groupMismatch:
            s.constant("W", [1, 1, 1], [3, 1, 1, 1])
            s.node("ConvTranspose", ["x", "W"], ["c"], name: "deconv", [Attribute(name: "group", value: .int(2))])
        case .weightNot2D: matMul(w: [1, 2, 2]); bnInput = "mm"
        case .biasShape: s.constant("B", [1, 2, 3], [3]); conv(["x", "W", "B"])
        case .gemmBiasShape:
            s.inputs = []
            s.input("x", [4, 3])
            s.constant("W", Array(repeating: 1, count: 6), [3, 2])
            s.constant("C", [1, 2, 3], [3])
            s.node("Gemm", ["x", "W", "C"], ["c"], name: "gemm")
        case .matMulRankUnknown: matMul(x: nil); bnInput = "mm"
        case .matMulRank: matMul(x: [2, 4, 2]); bnInput = "mm"
        }
        if !s.nodes.contains(where: { $0.opType == "BatchNormalization" }) {
            s.batchNorm(bnInput, "y", stats: statistics, bnAttributes)
        }
        s.output("y")
        return s.model
    }

    @Test(arguments: Reason.allCases)
    func reasonIsReachedAndReportedWordForWord(_ reason: Reason) throws {
        let m = Self.model(failing: reason)
        let bn = try #require(m.graph.nodes.first { $0.name == "bn" })
        let verdict = BatchNormFoldability.match(bn.id, in: m.graph, enclosing: [], opsetImports: m.opsetImports)
        guard case .failure(let failure) = verdict else { Issue.record("\(reason): the fold was accepted"); return }
        #expect(Self.reason(of: failure) == reason, "\(failure)")
        let (_, context) = try apply(FoldBatchNorm(), to: m)
        #expect(context.changes.isEmpty)
        #expect(context.skips.map(\.reason) == [failure.description])
        let facts = try #require(Inspector.inspect(m).findings.first { $0.node == "bn" }?.batchNormalization)
        if reason == .trainingMode {
            // Freezing converts it to inference form first, so inspect predicts the fold.
            #expect(facts.foldable)
        } else {
            #expect(facts.notFoldableReason == failure.description)
        }
    }
}
