import FreezerIR
import FreezerInspect
import Testing

/// Optimizer, loss, regularization and clipping detection on small graphs built with the IR.
@Suite("Training constructs on built graphs")
struct TrainingGraphTests {
    static let training = OpsetImport(domain: "ai.onnx.preview.training", version: 1)
    static let microsoft = OpsetImport(domain: "com.microsoft", version: 1)

    /// Logits → SoftmaxCrossEntropyLoss → `loss` output, with a parameter W.
    private func lossGraph() -> GraphBuilder {
        var b = GraphBuilder()
        b.input("logits", [2, 3])
        b.input("labels", [2], type: .int64)
        b.constant("W", [1, -2, 3, -4], dims: [2, 2])
        b.node("SoftmaxCrossEntropyLoss", ["logits", "labels"], ["ce"], name: "ce_loss")
        return b
    }

    @Test func penaltyOutsideTheLossIsNotRegularization() throws {
        var b = lossGraph()
        b.node("ReduceL2", ["W"], ["w_norm"], name: "norm")  // a graph output, never added to the loss
        b.output("ce")
        b.output("w_norm")
        #expect(b.report().findings(.weightRegularization).isEmpty)
    }

    @Test func unscaledPowPenaltyHasLambdaOne() throws {
        var b = lossGraph()
        b.constant("two", [2])
        b.node("Pow", ["W", "two"], ["w_sq"], name: "square")
        b.node("ReduceSum", ["w_sq"], ["w_l2"], name: "sum_sq")
        b.node("Add", ["ce", "w_l2"], ["total"], name: "add_penalty")
        b.output("total")
        let reg = b.report().findings(.weightRegularization)
        #expect(reg.count == 1)
        #expect(reg.first?.node == "sum_sq")
        #expect(reg.first?.regularization?.norm == "L2")
        #expect(reg.first?.regularization?.lambda == 1)
        #expect(reg.first?.regularization?.penaltyNodes == ["square", "sum_sq", "add_penalty"])
        #expect(reg.first?.regularization?.lossValue == "total")
    }

    @Test func l1PenaltyDividedByAConstant() throws {
        var b = lossGraph()
        b.constant("n", [4])
        b.node("ReduceL1", ["W"], ["w_l1"], name: "l1")
        b.node("Div", ["w_l1", "n"], ["scaled"], name: "scale")
        b.node("Add", ["ce", "scaled"], ["my_objective"], name: "total")
        b.output("my_objective")
        let reg = try #require(b.report().findings(.weightRegularization).first?.regularization)
        #expect(reg.norm == "L1")
        #expect(reg.lambda == 0.25)
    }

    @Test func lossOutputByNameOnly() throws {
        var b = GraphBuilder()
        b.input("x")
        b.node("Relu", ["x"], ["val_Loss"], name: "relu")
        b.output("val_Loss")
        let loss = b.report().findings(.loss)
        #expect(loss.map(\.kind) == [.lossOutput])
        #expect(loss.first?.loss?.reasons == ["name"])
    }

    @Test func clipOnANonGradientIsNotGradientClipping() throws {
        var b = GraphBuilder()
        b.input("x")
        b.constant("lo", [0])
        b.constant("hi", [6])
        b.node("Clip", ["x", "lo", "hi"], ["y"], name: "relu6")
        b.output("y")
        let r = b.report()
        #expect(r.findings(.gradientClipping).isEmpty)
        #expect(r.category(.gradientClipping).nodesSearched == 1)
    }

    @Test func minOnGradientClipsFromAbove() throws {
        var b = GraphBuilder()
        b.input("x")
        b.constant("W", [1, 2])
        b.constant("bound", [0.5])
        b.node("Gradient", ["x"], ["dW"], name: "grad", domain: "ai.onnx.preview.training",
               [Attribute(name: "xs", value: .strings([Array("W".utf8)])), .string("y", "x")])
        b.node("Min", ["bound", "dW"], ["dW_clipped"], name: "clip_min")
        b.output("dW_clipped")
        let clip = try #require(b.report(extra: [Self.training]).findings(.gradientClipping).first)
        #expect(clip.clipping?.method == "value")
        #expect(clip.clipping?.max == 0.5)
        #expect(clip.clipping?.min == nil)
        #expect(clip.clipping?.gradient == "dW")
    }

    @Test func learningRateFromAGraphInput() throws {
        var b = GraphBuilder()
        b.input("R", [])
        b.constant("T", [0], type: .int64)
        b.constant("W", [1])
        b.constant("G", [1])
        b.constant("V", [0])
        b.node("Momentum", ["R", "T", "W", "G", "V"], ["W_new", "V_new"], name: "opt", domain: "ai.onnx.preview.training",
               [.float("alpha", 0.9), .float("beta", 0.1), .string("mode", "standard"), .float("norm_coefficient", 0)])
        b.output("W_new")
        let r = b.report(extra: [Self.training])
        let lr = try #require(r.findings(.learningRateScheduling).first)
        #expect(lr.kind == .computedLearningRate)
        #expect(lr.state == .runtimeInput)
        #expect(lr.learningRate?.formula == "R = R")
        #expect(r.findings(.gradientAndOptimizer).first?.trainingOperator?.updatedParameters == ["W"])
    }

    @Test func onnxRuntimeTrainingOperators() throws {
        var b = GraphBuilder()
        b.input("x")
        b.input("labels", [1], type: .int64)
        let ops: [(String, [String], [String])] = [
            ("SoftmaxCrossEntropyLossInternal", ["x", "labels"], ["loss", "log_prob"]),
            ("SoftmaxCrossEntropyLossInternalGrad", ["loss", "log_prob", "labels"], ["dx"]),
            ("GatherGrad", ["dx"], ["dg"]),
            ("InPlaceAccumulatorV2", ["dg", "dx"], ["acc_ok", "acc"]),
            ("InplaceClipGradNorm", ["acc"], ["clipped"]),
            ("AdamWOptimizer", ["x", "clipped"], ["updated"]),
            ("FusedMatMul", ["x", "x"], ["not_training"]),
        ]
        for (op, ins, outs) in ops {
            let attributes: [Attribute] = switch op {
            case "AdamWOptimizer": [.float("weight_decay", 0.01)]
            case "InplaceClipGradNorm": [.float("max_norm", 1)]
            default: []
            }
            b.node(op, ins, outs, name: op, domain: "com.microsoft", attributes)
        }
        b.output("updated")
        b.output("not_training")
        let r = b.report(extra: [Self.microsoft])
        #expect(r.findings(.gradientAndOptimizer).map(\.kind) == [.gradientOperator, .gradientOperator, .gradientAccumulator, .optimizer])
        #expect(r.findings(.loss).first?.node == "SoftmaxCrossEntropyLossInternal")
        #expect(r.findings(.gradientClipping).map(\.kind) == [.clipGradNormOperator])
        #expect(r.findings(.gradientClipping).first?.clipping?.maxNorm == 1)
        let decay = try #require(r.findings(.weightRegularization).first)
        #expect(decay.kind == .optimizerWeightDecay)
        #expect(decay.regularization?.lambdaSource == "weight_decay")
        #expect(!r.findings.contains { $0.node == "FusedMatMul" })
    }

    @Test func subgraphReadsOuterInputAtAWeightSlot() throws {
        var body = GraphBuilder()
        body.node("Gemm", ["X", "W"], ["out"], name: "inner_gemm")
        body.output("out")
        let branch = Graph(name: "then", outputs: body.outputs, nodes: body.nodes, outerScope: ["X", "W"])
        var b = GraphBuilder()
        b.input("X")
        b.input("W", [4, 4])
        b.input("cond", [], type: .bool)
        b.node("If", ["cond"], ["Y"], name: "branch", [Attribute(name: "then_branch", value: .graph(branch)),
                                                        Attribute(name: "else_branch", value: .graph(branch))])
        b.output("Y")
        let params = b.report().findings(.parameters)
        #expect(params.map(\.value) == ["W"])
        #expect(params.first?.graphPath == "main")
        #expect(params.first?.parameter?.weightUses.map(\.graphPath) == ["main/branch.else_branch", "main/branch.then_branch"]
            || params.first?.parameter?.weightUses.map(\.graphPath) == ["main/branch.then_branch", "main/branch.else_branch"])
    }
}
