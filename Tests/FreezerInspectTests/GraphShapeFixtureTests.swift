import FreezerIR
import FreezerInspect
import Testing

/// Subgraphs, parameters as inputs, external data, and the summary's file identity.
@Suite("Subgraphs, parameters and sources in fixtures")
struct GraphShapeFixtureTests {
    @Test func subgraphFindingsCarryTheirPath() throws {
        let r = try Fixtures.report("if_loop_subgraphs")
        #expect(r.findings(.dropout).map(\.graphPath) == ["main/if.else_branch", "main/if.then_branch", "main/loop.body"])
        // The outer-scope initializer train_flag is as constant as a local one.
        let body = try r.finding(.dropout, node: "body_dropout")
        #expect(body.dropout?.trainingMode == .constantTrue)
        #expect(body.dropout?.trainingModeSource == "initializer")
        let bn = try r.finding(.batchNormalization, node: "then_bn")
        #expect(bn.graphPath == "main/if.then_branch")
        #expect(bn.batchNormalization?.parametersConstant == true)
        #expect(bn.batchNormalization?.notFoldableReason?.contains("enclosing graph") == true)
        #expect(r.category(.dropout).graphsSearched == 4)
        #expect(r.category(.dropout).nodesSearched == 11)
    }

    @Test func parametersWithoutValues() throws {
        let r = try Fixtures.report("params_without_values")
        let params = r.findings(.parameters)
        let fc1 = try #require(params.first { $0.value == "fc1_W" })
        #expect(fc1.parameter?.weightUses == [WeightUse(node: "fc1", opType: "Gemm", input: 1, role: "weight", graphPath: "main")])
        #expect(fc1.parameter?.shape == ["8", "6"])
        #expect(params.first { $0.value == "bn_var" }?.parameter?.weightUses.first?.role == "var")
        let bn = try r.finding(.batchNormalization, node: "bn")
        #expect(bn.batchNormalization?.parametersConstant == false)
        #expect(bn.batchNormalization?.notFoldableReason?.contains("'fc1_W'") == true)
    }

    @Test func initializersListedAsInputsStillFold() throws {
        let r = try Fixtures.report("initializers_as_inputs")
        let params = r.findings(.parameters)
        #expect(params.count == 8)
        #expect(params.allSatisfy { $0.kind == .initializerAsInput && $0.state == .runtimeInput })
        #expect(params.first?.parameter?.elementCount == 108)
        #expect(params.first?.parameter?.weightUses.first?.node == "conv")
        let bn = try r.finding(.batchNormalization, node: "bn")
        #expect(bn.batchNormalization?.foldTarget == "conv")
        #expect(bn.batchNormalization?.parameterInputs.map(\.source) == Array(repeating: "overridableInitializer", count: 4))
    }

    @Test func sourceAndExternalData() throws {
        let loaded = try Fixtures.model("external_data_per_tensor")
        let r = Inspector.inspect(loaded.model, source: InspectSource(loaded.source))
        let source = try #require(r.summary.source)
        #expect(source.sha256 == loaded.source.sha256)
        #expect(source.sha256.count == 64)
        #expect(source.size == loaded.source.size)
        #expect(source.dataFiles.map(\.location) == ["data/conv_W.bin", "data/fc_W.bin"])
        #expect(source.dataFiles.allSatisfy { $0.size > 0 && $0.sha256.count == 64 })
        // 1744 float32 elements and three int64 Slice arguments.
        #expect(r.summary.parameterBytes == 1744 * 4 + 3 * 8)
    }

    @Test func withoutSourceTheSummaryHasNone() throws {
        let loaded = try Fixtures.model("unknown_fields")
        #expect(Inspector.inspect(loaded.model, source: nil).summary.source == nil)
    }
}
