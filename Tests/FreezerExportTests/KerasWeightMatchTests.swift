import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerExport

/// The driver's Keras parameter check (`match_keras_weights`), run on a hand-made ONNX model: a weight is
/// found only where an initializer holds exactly its values in some order of its axes, reshaped; the same
/// values in another order (which a comparison of sorted values would accept) are not the weight.
@Suite("Keras weight matching", .enabled(if: TrainingEnvironment.imports("onnx, numpy"), "python3 with onnx and numpy is needed: pip install onnx numpy"))
struct KerasWeightMatchTests {
    @Test func findsWeightsUpToATransposeAndAReshapeOnly() throws {
        let output = try DriverModule.run("""
            import json
            import numpy as np
            import onnx
            from onnx import helper, numpy_helper

            class Weight:
                def __init__(self, path, value):
                    self.path, self.value = path, value
                def numpy(self):
                    return self.value

            class Model:
                pass

            rng = np.random.default_rng(0)
            dense = rng.standard_normal((2, 3)).astype(np.float32)
            conv = rng.standard_normal((3, 3, 2, 4)).astype(np.float32)          # Keras HWIO
            depthwise = rng.standard_normal((3, 3, 2, 2)).astype(np.float32)     # H, W, C, M
            bias = np.arange(5, dtype=np.float32)
            model = Model()
            model.weights = [Weight("dense/kernel", dense), Weight("conv/kernel", conv), Weight("depthwise/kernel", depthwise),
                             Weight("dense/bias", bias), Weight("folded/gamma", np.full(4, 7.0, np.float32))]
            stored = {
                "dense_t": dense.T.copy(),
                "conv_oihw": conv.transpose(3, 2, 0, 1).copy(),
                "depthwise_c_m_1_h_w": depthwise.transpose(2, 3, 0, 1).reshape(4, 1, 3, 3).copy(),
                "bias_reversed": bias[::-1].copy(),
            }
            inits = [numpy_helper.from_array(v, k) for k, v in stored.items()]
            graph = helper.make_graph([], "g", [], [helper.make_tensor_value_info("dense_t", onnx.TensorProto.FLOAT, [3, 2])], inits)
            onnx.save(helper.make_model(graph), sys.argv[1] + "/m.onnx")
            print(json.dumps(driver.match_keras_weights(model, sys.argv[1] + "/m.onnx", np)))
            """)
        let check = try JSONDecoder().decode(DriverReport.ParameterCheck.self, from: output)
        #expect(check.compared == ["dense/kernel", "conv/kernel", "depthwise/kernel"])
        #expect(check.not_exported == ["dense/bias", "folded/gamma"], "the same values in another order are not the weight")
        #expect(check.matches?.map { "\($0.tensor) \($0.initializer) \($0.transform)" } == [
            "dense/kernel dense_t transposed [1, 0]", "conv/kernel conv_oihw transposed [3, 2, 0, 1]",
            "depthwise/kernel depthwise_c_m_1_h_w transposed [2, 3, 0, 1]",
        ])
    }
}
