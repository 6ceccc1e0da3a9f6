import FreezerIR
import FreezerInspect
import Testing

/// Dropout training switches on small graphs built with the IR.
@Suite("Dropout on built graphs")
struct DropoutGraphTests {
    private func dropout(_ build: (inout GraphBuilder) -> Void, opset: Int64 = 13) throws -> Finding {
        var b = GraphBuilder()
        b.input("X")
        build(&b)
        b.output("Y")
        return try #require(b.report(opset: opset).findings(.dropout).first)
    }

    @Test func trainingModeFromConstantNodeTensor() throws {
        let f = try dropout { b in
            b.node("Constant", [], ["flag"], name: "flag_const", [.tensor("value", Tensor.make(name: "", type: .bool, dims: [], values: [1]))])
            b.node("Dropout", ["X", "", "flag"], ["Y"], name: "drop")
        }
        #expect(f.dropout?.trainingMode == .constantTrue)
        #expect(f.dropout?.trainingModeSource == "Constant")
        #expect(f.dropout?.ratio == 0.5)  // absent ratio input: the default
        #expect(f.state == .training)
    }

    @Test func trainingModeFromConstantValueIntFalse() throws {
        let f = try dropout { b in
            b.node("Constant", [], ["flag"], [.int("value_int", 0)])
            b.node("Dropout", ["X", "", "flag"], ["Y"], name: "drop")
        }
        #expect(f.dropout?.trainingMode == .constantFalse)
        #expect(f.state == .inference)
    }

    @Test func trainingModeThroughIdentityOfConstant() throws {
        let f = try dropout { b in
            b.constant("flag", [1], type: .bool)
            b.node("Identity", ["flag"], ["flag_copy"])
            b.node("Dropout", ["X", "", "flag_copy"], ["Y"], name: "drop")
        }
        #expect(f.dropout?.trainingMode == .constantTrue)
    }

    @Test func computedTrainingModeIsUnknown() throws {
        let f = try dropout { b in
            b.input("eval_flag", [], type: .bool)
            b.node("Not", ["eval_flag"], ["flag"], name: "negate")
            b.node("Dropout", ["X", "", "flag"], ["Y"], name: "drop")
        }
        #expect(f.dropout?.trainingMode == .unknown)
        #expect(f.dropout?.trainingModeProducer == "negate")
        #expect(f.state == .unknown)
    }

    @Test func overridableInitializerCountsAsGraphInput() throws {
        var b = GraphBuilder()
        b.input("X")
        b.input("flag", [], type: .bool)
        b.constant("flag", [0], type: .bool)
        b.node("Dropout", ["X", "", "flag"], ["Y"], name: "drop")
        b.output("Y")
        let f = try #require(b.report(opset: 13).findings(.dropout).first)
        #expect(f.dropout?.trainingMode == .graphInput)
        #expect(f.dropout?.trainingModeSource == "overridableInitializer")
    }

    @Test func maskAsGraphOutputIsUsed() throws {
        var b = GraphBuilder()
        b.input("X")
        b.node("Dropout", ["X"], ["Y", "mask"], name: "drop", [.float("ratio", 0.25)])
        b.output("Y")
        b.output("mask")
        let f = try #require(b.report(opset: 10).findings(.dropout).first)
        #expect(f.dropout?.sinceVersion == 10)
        #expect(f.dropout?.trainingMode == .absent)
        #expect(f.dropout?.ratio == 0.25)
        #expect(f.dropout?.maskUsed == true)
        #expect(f.dropout?.maskIsGraphOutput == true)
        #expect(f.dropout?.maskConsumers == [])
    }

    @Test(arguments: [(Int64(1), DropoutTrainingMode.on), (6, .on), (7, .absent), (12, .absent), (22, .absent)])
    func sinceVersionAndDefaultSwitch(_ opset: Int64, _ mode: DropoutTrainingMode) throws {
        let f = try dropout({ b in b.node("Dropout", ["X"], ["Y"], name: "drop") }, opset: opset)
        #expect(f.dropout?.trainingMode == mode)
        #expect(f.dropout?.sinceVersion == [1: 1, 6: 6, 7: 7, 12: 12, 22: 22][opset])
    }
}
