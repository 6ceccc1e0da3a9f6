import Foundation
import FreezerIR
import FreezerInspect
import Testing

/// Every fixture's report agrees with the facts MANIFEST.json records about it.
@Suite("Reports match the fixture manifest")
struct ManifestTests {
    static let names = [
        "torch_cnn_train", "torch_cnn_eval", "torch_mlp_train_opset12", "torch_mlp_eval_opset12",
        "training_info_adam", "training_info_momentum", "training_info_adagrad", "training_main_graph",
        "dropout_opset1", "dropout_opset6", "dropout_opset7", "dropout_opset10", "dropout_opset12",
        "batchnorm_opset1", "batchnorm_opset6", "batchnorm_opset7", "batchnorm_opset9", "batchnorm_opset14_training",
        "float16_convbn", "external_data_single", "external_data_per_tensor", "if_loop_subgraphs", "shared_weights",
        "initializers_as_inputs", "params_without_values", "typed_fields", "unknown_fields",
    ]

    /// The manifest writes `domain.OpType`; the report `domain::OpType`.
    static func manifestOpType(_ s: String) -> String {
        guard let r = s.range(of: "::") else { return s }
        return s[..<r.lowerBound] + "." + s[r.upperBound...]
    }

    @Test(arguments: names)
    func summary(_ name: String) throws {
        let m = try Fixtures.manifest(name)
        let s = try Fixtures.report(name).summary
        #expect(s.irVersion == m.ir_version)
        #expect(Dictionary(uniqueKeysWithValues: s.opsetImports.map { ($0.domain == "ai.onnx" ? "" : $0.domain, $0.version) }) == m.opsets)
        #expect(s.mainGraphNodeCount == m.node_count)
        #expect(Dictionary(uniqueKeysWithValues: s.nodeCounts.map { (Self.manifestOpType($0.key), $0.value) }) == m.node_counts)
        #expect(s.subgraphNodeCounts == m.subgraph_node_counts)
        #expect(s.totalNodeCount == m.node_count + m.subgraph_node_counts.values.reduce(0, +))
        #expect(s.parameterCount == m.parameters)
        #expect(s.initializerCount == m.initializers)
        #expect(s.initializerInputs.map(\.name) == m.initializers_as_inputs)
        #expect(s.inputs.map(\.name) == m.inputs.map(\.name).filter { !m.initializers_as_inputs.contains($0) })
        #expect(s.outputs.map(\.name) == m.outputs.map(\.name))
        #expect(s.outputs.map { $0.shape ?? [] } == m.outputs.map { ($0.shape ?? []).map(String.init) })
        #expect(s.source?.dataFiles.map(\.location) == m.external_data_files)
        #expect(s.trainingInfoCount == (m.training_info ? 1 : 0))
    }

    @Test(arguments: names)
    func dropout(_ name: String) throws {
        let m = try Fixtures.manifest(name)
        let found = try Fixtures.report(name).findings(.dropout)
        #expect(found.compactMap(\.node) == m.dropout.map(\.node))
        for (expected, f) in zip(m.dropout, found) {
            let facts = try #require(f.dropout)
            #expect(f.graphPath == reportPath(expected.scope), "\(expected.node)")
            #expect(facts.sinceVersion == expected.since_version, "\(expected.node)")
            #expect(facts.trainingMode == Self.mode(expected.training), "\(expected.node)")
            #expect(facts.trainingModeInput == expected.training_mode_input, "\(expected.node)")
            #expect(facts.ratio.map(Float.init) == expected.ratio.map(Float.init), "\(expected.node)")
            #expect(facts.seed == expected.seed, "\(expected.node)")
            #expect(facts.maskOutput == expected.mask_output, "\(expected.node)")
            #expect(facts.maskUsed == expected.mask_used, "\(expected.node)")
        }
    }

    static func mode(_ manifest: String) -> DropoutTrainingMode? {
        ["constant-true": .constantTrue, "constant-false": .constantFalse, "graph-input": .graphInput,
         "absent": .absent, "computed": .unknown, "is_test=0": .on, "is_test=1": .off][manifest]
    }

    @Test(arguments: names)
    func batchNormalization(_ name: String) throws {
        let m = try Fixtures.manifest(name)
        let found = try Fixtures.report(name).findings(.batchNormalization)
        #expect(found.compactMap(\.node) == m.batch_norm.map(\.node))
        for (expected, f) in zip(m.batch_norm, found) {
            let facts = try #require(f.batchNormalization)
            #expect(f.graphPath == reportPath(expected.scope), "\(expected.node)")
            #expect(facts.sinceVersion == expected.since_version, "\(expected.node)")
            #expect(facts.outputCount == expected.outputs, "\(expected.node)")
            #expect(facts.training == expected.training, "\(expected.node)")
            #expect(f.state == (expected.training ? .training : .inference), "\(expected.node)")
            #expect(facts.trainingMode == expected.training_mode, "\(expected.node)")
            #expect(facts.spatial == expected.spatial, "\(expected.node)")
            #expect(facts.foldTargetOpType == expected.foldable_into, "\(expected.node)")
            #expect(facts.foldable == (expected.foldable_into != nil), "\(expected.node)")
            #expect((facts.notFoldableReason == nil) == facts.foldable, "\(expected.node)")
            if facts.foldable { #expect(facts.foldWeightShared == expected.producer_weight_shared, "\(expected.node)") }
        }
    }

    @Test(arguments: names)
    func trainingOperatorsAndParameters(_ name: String) throws {
        let m = try Fixtures.manifest(name)
        let report = try Fixtures.report(name)
        let mainOps = report.findings(.gradientAndOptimizer).filter { $0.graphPath == "main" }.compactMap(\.opType)
        #expect(mainOps.map(Self.manifestOpType) == m.training_ops)
        #expect(report.findings(.trainingInfo).count == (m.training_info ? 1 : 0))
        let parameters = report.findings(.parameters)
        #expect(parameters.filter { $0.kind == .initializerAsInput }.compactMap(\.value) == m.initializers_as_inputs)
        #expect(parameters.filter { $0.kind == .parameterWithoutValue }.compactMap(\.value) == (m.weight_inputs_without_initializer ?? []))
    }

    @Test(arguments: names)
    func everyCategorySearched(_ name: String) throws {
        let report = try Fixtures.report(name)
        #expect(report.categories.map(\.category) == FindingCategory.allCases)
        let m = try Fixtures.manifest(name)
        for c in report.categories {
            #expect(c.searched)
            #expect(c.nodesSearched >= m.node_count + m.subgraph_node_counts.values.reduce(0, +))
            #expect(c.graphsSearched >= 1)
            #expect(c.findings.allSatisfy { $0.category == c.category })
        }
    }
}
