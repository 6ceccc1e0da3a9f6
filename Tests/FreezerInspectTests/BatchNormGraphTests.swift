import FreezerIR
import FreezerInspect
import Testing

/// BatchNormalization foldability on small graphs built with the IR.
@Suite("BatchNormalization folding on built graphs")
struct BatchNormGraphTests {
    private func bn(_ b: GraphBuilder, opset: Int64 = 15) throws -> BatchNormFacts {
        try #require(b.report(opset: opset).findings(.batchNormalization).first?.batchNormalization)
    }

    @Test func matMulAddBatchNormFoldsIntoMatMul() throws {
        var b = GraphBuilder()
        b.input("X")
        b.constant("W", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], dims: [4, 4])
        b.constant("B", [0, 0, 0, 0])
        b.node("MatMul", ["X", "W"], ["mm"], name: "fc")
        b.node("Add", ["B", "mm"], ["biased"], name: "fc_bias")
        b.batchNorm("biased", "Y")
        b.output("Y")
        let facts = try bn(b)
        #expect(facts.foldable)
        #expect(facts.foldTarget == "fc")
        #expect(facts.foldTargetOpType == "MatMul")
        #expect(facts.foldBiasAdd == "fc_bias")
        #expect(facts.foldWeightShared == false)
        #expect(facts.producer == "fc_bias")
    }

    @Test func addWithComputedBiasDoesNotFold() throws {
        var b = GraphBuilder()
        b.input("X")
        b.input("bias", [4])
        b.constant("W", Array(repeating: 1, count: 16), dims: [4, 4])
        b.node("MatMul", ["X", "W"], ["mm"], name: "fc")
        b.node("Add", ["mm", "bias"], ["biased"], name: "fc_bias")
        b.batchNorm("biased", "Y")
        b.output("Y")
        let facts = try bn(b)
        #expect(!facts.foldable)
        #expect(facts.notFoldableReason?.contains("bias 'bias' is not a constant") == true)
    }

    @Test func convOutputWithSecondReaderDoesNotFold() throws {
        var b = GraphBuilder()
        b.input("X", [1, 1, 4, 4])
        b.constant("W", [1], dims: [1, 1, 1, 1])
        b.node("Conv", ["X", "W"], ["c"], name: "conv")
        b.batchNorm("c", "Y")
        b.node("Relu", ["c"], ["side"], name: "side_relu")
        b.output("Y")
        b.output("side")
        let facts = try bn(b)
        #expect(!facts.foldable)
        #expect(facts.foldTarget == nil)
        #expect(facts.notFoldableReason == "output 'c' of Conv 'conv' is also read by 'side_relu'")
    }

    @Test func convOutputThatIsAGraphOutputDoesNotFold() throws {
        var b = GraphBuilder()
        b.input("X", [1, 1, 4, 4])
        b.constant("W", [1], dims: [1, 1, 1, 1])
        b.node("Conv", ["X", "W"], ["c"], name: "conv")
        b.batchNorm("c", "Y")
        b.output("Y")
        b.output("c")
        #expect(try bn(b).notFoldableReason?.hasSuffix("is also a graph output") == true)
    }

    @Test func nonFoldableProducerIsNamed() throws {
        var b = GraphBuilder()
        b.input("X")
        b.node("Relu", ["X"], ["r"], name: "relu")
        b.batchNorm("r", "Y")
        b.output("Y")
        let facts = try bn(b)
        #expect(facts.notFoldableReason == "X is produced by Relu 'relu', not by Conv, ConvTranspose, Gemm or MatMul")
        #expect(facts.producerOpType == "Relu")
    }

    @Test func runtimeWeightDoesNotFoldAndIsAParameterWithoutValue() throws {
        var b = GraphBuilder()
        b.input("X", [1, 1, 4, 4])
        b.input("W", [1, 1, 1, 1])
        b.node("Conv", ["X", "W"], ["c"], name: "conv")
        b.batchNorm("c", "Y")
        b.output("Y")
        let report = b.report()
        let facts = try #require(report.findings(.batchNormalization).first?.batchNormalization)
        #expect(facts.notFoldableReason == "weight 'W' of Conv 'conv' is not a constant (graphInput)")
        #expect(report.findings(.parameters).map(\.value) == ["W"])
    }

    @Test func sharedWeightIsReported() throws {
        var b = GraphBuilder()
        b.input("X", [1, 1, 4, 4])
        // Four output channels, as the BN's statistics have (a mismatch is a reason not to fold).
        b.constant("W", [1, 1, 1, 1], dims: [4, 1, 1, 1])
        b.node("Conv", ["X", "W"], ["c1"], name: "conv1")
        b.node("Conv", ["X", "W"], ["c2"], name: "conv2")
        b.batchNorm("c1", "Y")
        b.output("Y")
        b.output("c2")
        #expect(try bn(b).foldWeightShared == true)
    }

    @Test func trainingFormWithUsedRunningStatistics() throws {
        var b = GraphBuilder()
        b.input("X", [1, 1, 4, 4])
        b.constant("W", [1, 1, 1, 1], dims: [4, 1, 1, 1])
        b.node("Conv", ["X", "W"], ["c"], name: "conv")
        b.batchNorm("c", "Y", extraOutputs: ["rm", "rv"], [.int("training_mode", 1)])
        b.output("Y")
        b.output("rm")
        let facts = try bn(b)
        #expect(facts.training)
        #expect(facts.extraOutputs.map(\.used) == [true, false])
        #expect(facts.extraOutputs.first?.isGraphOutput == true)
        #expect(facts.foldable)  // freezing switches it to the running statistics first
    }

    @Test func batchNormInternalIsTheTrainingForm() throws {
        var b = GraphBuilder()
        b.input("X", [1, 1, 4, 4])
        for p in ["s", "b", "m", "v"] { b.constant(p, [1]) }
        b.node("BatchNormInternal", ["X", "s", "b", "m", "v"], ["Y", "rm", "rv", "sm", "sis"], name: "bni", domain: "com.microsoft")
        b.output("Y")
        let f = try #require(b.report(extra: [OpsetImport(domain: "com.microsoft", version: 1)]).findings(.batchNormalization).first)
        #expect(f.kind == .batchNormInternal)
        #expect(f.state == .training)
        #expect(f.opType == "com.microsoft::BatchNormInternal")
        #expect(f.batchNormalization?.extraOutputs.last?.role == "savedInvStdDev")
    }
}
