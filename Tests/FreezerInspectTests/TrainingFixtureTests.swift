import FreezerIR
import FreezerInspect
import Testing

/// Optimizers, learning rates, clipping, regularization and training_info in the training fixtures.
@Suite("Training constructs in fixtures")
struct TrainingFixtureTests {
    private func number(_ f: TrainingOperatorFacts?, _ name: String) -> Double? {
        f?.attributes.first { $0.name == name }?.value.number
    }

    @Test func trainingMainGraph() throws {
        let r = try Fixtures.report("training_main_graph")
        let dropout = try r.finding(.dropout, node: "dropout")
        #expect(dropout.dropout?.trainingMode == .graphInput)
        #expect(dropout.dropout?.trainingModeInput == "is_training")
        #expect(dropout.state == .runtimeInput)

        #expect(r.findings(.gradientAndOptimizer).map(\.kind) == [.gradient, .optimizer])
        let momentum = try r.finding(.gradientAndOptimizer, node: "momentum")
        #expect(momentum.trainingOperator?.updatedParameters == ["W1", "B1", "W2", "B2"])
        #expect(momentum.trainingOperator?.learningRateInput == "R")
        #expect(r.findings(.gradientAndOptimizer).first?.trainingOperator?.gradientOf == "loss")

        let loss = r.findings(.loss)
        #expect(loss.map(\.kind) == [.lossOperator, .labelInput, .lossOutput])
        #expect(loss.first?.node == "loss_ce")
        #expect(loss.first { $0.kind == .labelInput }?.value == "labels")
        #expect(loss.first { $0.kind == .lossOutput }?.loss?.reasons == ["name", "computed"])

        let l2 = r.findings(.weightRegularization)
        #expect(l2.map(\.regularization?.parameter) == ["W1", "W2"])
        #expect(l2.allSatisfy { $0.regularization?.norm == "L2" && $0.regularization?.lambda.map(Float.init) == 0.01 })
        #expect(l2.first?.regularization?.lambdaSource == "lambda")
        #expect(l2.first?.regularization?.penaltyNodes == ["reg_W1", "reg_sum", "reg_scale", "loss_total"])
        // norm_coefficient = 0: no weight decay from the optimizer.
        #expect(!l2.contains { $0.kind == .optimizerWeightDecay })

        let lr = try #require(r.findings(.learningRateScheduling).first)
        #expect(lr.kind == .fixedLearningRate)
        #expect(lr.state == .informational)
        #expect(lr.learningRate?.value.map(Float.init) == 0.05)
        #expect(r.findings(.gradientClipping).isEmpty)
    }

    @Test func adamWithExponentialScheduleGlobalNormAndL1() throws {
        let r = try Fixtures.report("training_info_adam")
        let path = "training_info[0].algorithm"
        let adam = try r.finding(.gradientAndOptimizer, node: "optimizer_adam")
        #expect(adam.graphPath == path)
        #expect(adam.opType == "ai.onnx.preview.training::Adam")
        #expect(number(adam.trainingOperator, "alpha").map(Float.init) == 0.9)
        #expect(number(adam.trainingOperator, "beta").map(Float.init) == 0.999)
        #expect(number(adam.trainingOperator, "epsilon").map(Float.init) == 1e-7)
        #expect(number(adam.trainingOperator, "norm_coefficient").map(Float.init) == 0.0005)

        let lr = try r.finding(.learningRateScheduling, node: "optimizer_adam")
        #expect(lr.kind == .schedule)
        #expect(lr.learningRate?.formula == "R = 0.1 * Pow(0.99, T)")
        #expect(lr.learningRate?.dependsOnIterationCount == true)
        #expect(lr.learningRate?.nodes == ["lr_cast_T", "lr_pow", "lr_mul"])

        let clipping = r.findings(.gradientClipping)
        #expect(clipping.count == 4)
        #expect(clipping.allSatisfy { $0.kind == .globalNormClipping && $0.clipping?.maxNorm == 5 && $0.clipping?.scale == "gscale" })
        #expect(clipping.map(\.clipping?.gradient) == ["W1_graw", "B1_graw", "W2_graw", "B2_graw"])
        #expect(clipping.first?.clipping?.normNodes.contains("gnorm_sqrt") == true)

        let reg = r.findings(.weightRegularization)
        #expect(reg.filter { $0.kind == .lossPenalty }.map { "\($0.regularization!.norm) \($0.regularization!.parameter!)" } == ["L1 W1", "L1 W2"])
        #expect(reg.first?.regularization?.lambda.map(Float.init) == 0.001)
        let decay = try #require(reg.first { $0.kind == .optimizerWeightDecay })
        #expect(decay.node == "optimizer_adam")
        #expect(decay.regularization?.norm == "L2")
        #expect(decay.regularization?.lambda.map(Float.init) == 0.0005)
        #expect(decay.regularization?.lambdaSource == "norm_coefficient")
    }

    @Test func momentumWithStepScheduleValueClippingAndL2() throws {
        let r = try Fixtures.report("training_info_momentum")
        let momentum = try r.finding(.gradientAndOptimizer, node: "optimizer_momentum")
        #expect(momentum.trainingOperator?.attributes.first { $0.name == "mode" }?.value == .string("nesterov"))
        let lr = try r.finding(.learningRateScheduling, node: "optimizer_momentum")
        #expect(lr.learningRate?.formula == "R = 0.1 * Pow(0.5, Floor(T / 100))")
        let clipping = r.findings(.gradientClipping)
        #expect(clipping.map(\.node) == ["clip_W1", "clip_B1", "clip_W2", "clip_B2"])
        #expect(clipping.allSatisfy { $0.clipping?.method == "value" && $0.clipping?.min == -1 && $0.clipping?.max == 1 })
        #expect(clipping.first?.clipping?.gradientProducer == "gradient")
        let penalties = r.findings(.weightRegularization).filter { $0.kind == .lossPenalty }
        #expect(penalties.map(\.regularization?.norm) == ["L2", "L2"])
        #expect(penalties.first?.regularization?.lambda.map(Float.init) == 0.01)
    }

    @Test func adagradDecayFactorIsASchedule() throws {
        let r = try Fixtures.report("training_info_adagrad")
        let lr = try r.finding(.learningRateScheduling, node: "optimizer_adagrad")
        #expect(lr.kind == .optimizerDecay)
        #expect(lr.state == .training)
        #expect(lr.learningRate?.formula == "R = 0.1 / (1 + T * 0.01)")
        #expect(lr.learningRate?.decayFactor.map(Float.init) == 0.01)
        #expect(lr.learningRate?.value.map(Float.init) == 0.1)
        #expect(r.findings(.gradientClipping).allSatisfy { $0.kind == .valueClipping })
        #expect(r.findings(.weightRegularization).map(\.regularization?.norm) == ["L1", "L1", "L2"])
    }

    @Test(arguments: [("training_info_adam", "Adam", 13), ("training_info_momentum", "Momentum", 9), ("training_info_adagrad", "Adagrad", 9)])
    func trainingInfoEntry(_ name: String, _ optimizer: String, _ updateBindings: Int) throws {
        let r = try Fixtures.report(name)
        let entry = try #require(r.findings(.trainingInfo).first)
        let facts = try #require(entry.trainingInfo)
        #expect(entry.graphPath == "training_info[0]")
        #expect(facts.algorithmGraphPath == "training_info[0].algorithm")
        #expect(facts.optimizers.count == 1)
        #expect(facts.optimizers.first?.hasPrefix("\(optimizer) 'optimizer_\(optimizer.lowercased())'") == true)
        #expect(facts.learningRates.count == 1)
        #expect(facts.losses == ["loss_ce"])
        #expect(facts.initializationNodeCount == 5)
        #expect(facts.initializes.map(\.key) == ["W1", "B1", "W2", "B2", "T"])
        #expect(facts.initializes.map(\.producerOpType) == ["RandomNormal", "RandomNormal", "RandomNormal", "RandomNormal", "Constant"])
        #expect(facts.initializationBinding.first == BindingFact(key: "W1", value: "W1_init"))
        #expect(facts.updateBinding.count == updateBindings)
        #expect(facts.updateBinding.last == BindingFact(key: "T", value: "T_new"))
        #expect(facts.findingCounts["gradientAndOptimizer"] == 2)
        // The main graph holds only the inference path.
        #expect(r.findings.filter { $0.graphPath == "main" }.isEmpty)
    }

    @Test func evalExportHasNoTrainingBehaviour() throws {
        let r = try Fixtures.report("torch_cnn_eval")
        #expect(!r.findings.contains { $0.state == .training })
        #expect(r.findings(.dropout).isEmpty)
        let bn = r.findings(.batchNormalization)
        #expect(bn.count == 4)
        #expect(bn.allSatisfy { $0.state == .inference && $0.batchNormalization?.foldable == true })
        #expect(r.category(.dropout).nodesSearched == 15)
        #expect(r.category(.dropout).graphsSearched == 1)
    }

    @Test func trainExportFoldTargets() throws {
        let r = try Fixtures.report("torch_cnn_train")
        let targets = r.findings(.batchNormalization).map { $0.batchNormalization?.foldTarget }
        #expect(targets == ["/conv1/Conv", "/conv2/Conv", "/deconv/ConvTranspose", "/fc1/Gemm"])
        #expect(r.findings(.batchNormalization).allSatisfy { $0.batchNormalization?.trainingMode == 1 && $0.state == .training })
        #expect(r.findings(.batchNormalization).first?.batchNormalization?.extraOutputs.map(\.role) == ["runningMean", "runningVar"])
        #expect(r.findings(.dropout).allSatisfy { $0.dropout?.trainingMode == .constantTrue && $0.dropout?.trainingModeSource == "Constant" })
    }

    @Test func mlpMatMulFold() throws {
        let r = try Fixtures.report("torch_mlp_train_opset12")
        let bn1 = try r.finding(.batchNormalization, node: "/bn1/BatchNormalization")
        #expect(bn1.batchNormalization?.foldTargetOpType == "MatMul")
        #expect(bn1.batchNormalization?.foldBiasAdd == nil)
        #expect(bn1.batchNormalization?.extraOutputs.map(\.role) == ["runningMean", "runningVar", "savedMean", "savedVar"])
    }
}
