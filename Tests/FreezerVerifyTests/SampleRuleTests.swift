import Testing
@testable import FreezerIR
@testable import FreezerKernels
@testable import FreezerVerify

/// How many samples the default check evaluates: as few as give every output enough values.
@Suite("Sample rule")
struct SampleRuleTests {
    /// y = x · 0.7 (the frozen side 0.70001, so every statistic depends on each sample), x of `shape`
    /// declared with `declared` dimensions.
    func scaled(_ w: Float, declared: [Dimension], output: [Dimension]? = nil) -> Model {
        let x = ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: declared)))
        let y = ValueInfo(name: "y", type: ValueType(tensor: TensorType(elementType: .float, shape: output ?? declared)))
        let g = Graph(name: "g", inputs: [x], outputs: [y],
                      initializers: [Tensor.make(name: "w", type: .float, dims: [1], values: [Double(w)])],
                      nodes: [NodeSpec(opType: "Mul", opsetVersion: 17, inputs: ["x", "w"], outputs: ["y"])])
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: g)
    }

    func samples(_ model: Model, shape: [Int], count: Int = 8) throws -> [EquivalenceChecker.Sample] {
        var generator = SeededGenerator(seed: 5)
        return try (0..<count).map { k in
            .init(feeds: try RandomInputs.sample(for: model.graph, shapes: ["x": shape], generator: &generator), source: "s\(k + 1)")
        }
    }

    @Test func countIsAsFewAsGiveEnoughValues() {
        #expect(SampleRule.count(wanted: 16384, perSample: 32768, available: 8) == 1)
        #expect(SampleRule.count(wanted: 16384, perSample: 16384, available: 8) == 1)
        #expect(SampleRule.count(wanted: 16384, perSample: 16383, available: 8) == 2)
        #expect(SampleRule.count(wanted: 16384, perSample: 5000, available: 8) == 4)
        #expect(SampleRule.count(wanted: 16384, perSample: 1000, available: 8) == 8)
        #expect(SampleRule.count(wanted: 16384, perSample: 0, available: 8) == 8)
        #expect(SampleRule.count(wanted: 16384, perSample: nil, available: 8) == 1)
        #expect(SampleRule.count(wanted: 16384, perSample: 10, available: 3) == 3)
    }

    @Test func declaredShapesBindTheInputsSymbols() throws {
        let model = scaled(0.7, declared: [.symbol("n"), .value(4096)], output: [.symbol("n"), .value(4096)])
        let feeds = try samples(model, shape: [3, 4096], count: 1)[0].feeds
        #expect(SampleRule.declaredValuesPerSample(model.graph, feeds: feeds, outputs: ["y"]) == 3 * 4096)
        let unknown = scaled(0.7, declared: [.symbol("n"), .value(4096)], output: [.symbol("m"), .value(4096)])
        #expect(SampleRule.declaredValuesPerSample(unknown.graph, feeds: feeds, outputs: ["y"]) == nil)
    }

    /// One sample of a large output is checked, alone, and the report is the check of that sample with
    /// every sample evaluated; all of them for a small output.
    @Test(arguments: [(32768, 1), (6000, 3), (1000, 8)])
    func theDefaultChecksAsFewSamplesAsGiveEnoughValues(width: Int, expected: Int) throws {
        for declared in [[Dimension.value(1), .value(Int64(width))], [.unknown, .value(Int64(width))]] {
            let original = scaled(0.7, declared: declared), frozen = scaled(0.70001, declared: declared)
            let all = try samples(original, shape: [1, width])
            let report = try EquivalenceChecker.check(original: original, frozen: frozen, samples: all, options: .init(sampleRule: .automatic))
            #expect(report.samples.map(\.source) == (1...expected).map { "s\($0)" })
            let every = try EquivalenceChecker.check(original: original, frozen: frozen, samples: Array(all.prefix(expected)))
            #expect(report.outputs == every.outputs && report.verdict == every.verdict)
            #expect(report.defaults == [SampleRule.describe(evaluated: expected, available: 8, wanted: SampleRule.valuesPerOutput, perSample: width)])
            #expect(report.defaults[0].hasPrefix(expected < 8 ? "samples: \(expected) of the up to 8" : "samples: 8, the most"))
        }
    }

    /// A model that branches on its data is checked on every sample, however large its output: the inputs,
    /// not the values they give, decide which branch runs. Nested in a branch, too.
    @Test func aModelThatBranchesOnItsDataIsCheckedOnEverySample() throws {
        let width: Int64 = 32768
        func branching(_ w: Float, nested: Bool) -> Model {
            let x = ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(1), .value(width)])))
            let y = ValueInfo(name: "y", type: x.type)
            let scaled = Graph(name: "scaled", outputs: [ValueInfo(name: "t", type: x.type)],
                               nodes: [NodeSpec(name: "mul", opType: "Mul", opsetVersion: 17, inputs: ["x", "w"], outputs: ["t"])], outerScope: ["x", "w"])
            let plain = Graph(name: "plain", outputs: [ValueInfo(name: "e", type: x.type)],
                              nodes: [NodeSpec(name: "id", opType: "Identity", opsetVersion: 17, inputs: ["x"], outputs: ["e"])], outerScope: ["x"])
            let choose = { (name: String, output: String) in
                NodeSpec(name: name, opType: "If", opsetVersion: 17, inputs: ["positive"], outputs: [output],
                         attributes: [Attribute(name: "then_branch", value: .graph(scaled)), Attribute(name: "else_branch", value: .graph(plain))])
            }
            var nodes = [NodeSpec(name: "sum", opType: "ReduceSum", opsetVersion: 17, inputs: ["x"], outputs: ["s"], attributes: [Attribute(name: "keepdims", value: .int(0))]),
                         NodeSpec(name: "gt", opType: "Greater", opsetVersion: 17, inputs: ["s", "zero"], outputs: ["positive"])]
            if nested {
                let outer = Graph(name: "outer", outputs: [ValueInfo(name: "o", type: x.type)], nodes: [choose("inner", "o")],
                                  outerScope: ["x", "w", "positive"])
                nodes.append(NodeSpec(name: "always", opType: "If", opsetVersion: 17, inputs: ["positive"], outputs: ["y"],
                                      attributes: [Attribute(name: "then_branch", value: .graph(outer)), Attribute(name: "else_branch", value: .graph(outer))]))
            } else {
                nodes.append(choose("if", "y"))
            }
            let g = Graph(name: "g", inputs: [x], outputs: [y],
                          initializers: [Tensor.make(name: "w", type: .float, dims: [1], values: [Double(w)]), Tensor.make(name: "zero", type: .float, dims: [], values: [0])],
                          nodes: nodes)
            return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: g)
        }
        for nested in [false, true] {
            let original = branching(0.7, nested: nested)
            #expect(SampleRule.branchesOnData(original.graph))
            let report = try EquivalenceChecker.check(original: original, frozen: branching(0.70001, nested: nested),
                                                      samples: try samples(original, shape: [1, Int(width)]), options: .init(sampleRule: .automatic))
            #expect(report.samples.count == 8)
            #expect(report.defaults == [SampleRule.describeBranching(evaluated: 8)])
        }
        #expect(!SampleRule.branchesOnData(scaled(0.7, declared: [.value(1), .value(3)]).graph))
    }

    @Test func everySampleGivenIsCheckedUnderTheOtherRule() throws {
        let original = scaled(0.7, declared: [.value(1), .value(32768)])
        let report = try EquivalenceChecker.check(original: original, frozen: original, samples: try samples(original, shape: [1, 32768], count: 3))
        #expect(report.samples.count == 3 && report.defaults.isEmpty)
    }

    /// The memory fallback still says so, and only when memory ran out.
    @Test func groupsForMemoryAreReportedApartFromTheSampleCount() throws {
        let original = scaled(0.7, declared: [.value(1), .value(3000)]), frozen = scaled(0.70001, declared: [.value(1), .value(3000)])
        let all = try samples(original, shape: [1, 3000])
        let guardrail = MemoryGuard(reserveBytes: 0, simulatedSampleLimit: 2)
        let report = try EquivalenceChecker.check(original: original, frozen: frozen, samples: all,
                                                  options: .init(memoryGuard: guardrail, sampleRule: .automatic))
        #expect(report.samples.count == 6)
        #expect(report.defaults.count == 2 && report.defaults[1] == "samples evaluated in groups of 1, 2, 1, 2, one after the other: memory ran out with all 6 together")
        // Where the declared shapes do not tell, the first sample is evaluated alone and the five others after it.
        let unknown = scaled(0.7, declared: [.unknown, .value(3000)])
        let measured = try EquivalenceChecker.check(original: unknown, frozen: scaled(0.70001, declared: [.unknown, .value(3000)]), samples: all,
                                                    options: .init(memoryGuard: guardrail, sampleRule: .automatic))
        #expect(measured.samples.count == 6 && measured.outputs == report.outputs)
        #expect(measured.defaults.last == "samples evaluated in groups of 2, 1, 2, one after the other: memory ran out with all 5 together")
    }
}
