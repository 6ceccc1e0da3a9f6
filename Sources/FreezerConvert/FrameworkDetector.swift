import FreezerIR
import FreezerLog

/// Names the framework and exporter that produced a model, from its producer fields and opsets.
enum FrameworkDetector {
    static func detect(_ model: Model) -> FrameworkInfo {
        let name = model.producerName
        let version = model.producerVersion
        let lower = name.lowercased()
        let opsets = model.opsetImports.map { OpsetInfo(domain: $0.domainName, version: $0.version) }
        var framework = "unknown", frameworkVersion = "", exporter = "unknown"
        var evidence = "producer_name '\(name)', producer_version '\(version)'"
        switch lower {
        case "pytorch":
            framework = "PyTorch"
            frameworkVersion = version
            let dynamo = !model.functions.isEmpty || model.metadataProps.contains { $0.key.hasPrefix("pkg.torch") }
            exporter = dynamo ? "torch.onnx.export (dynamo/torch.export-based exporter)" : "torch.onnx.export (TorchScript-based exporter)"
            evidence += dynamo ? "; model-local functions or pkg.torch metadata indicate the dynamo exporter" : "; no model-local functions (TorchScript exporter)"
        case "tf2onnx":
            framework = "TensorFlow"
            exporter = "tf2onnx \(version)"
            frameworkVersion = "not recorded by tf2onnx"
        case "keras2onnx":
            framework = "Keras"
            exporter = "keras2onnx \(version)"
        case _ where lower.contains("onnxruntime") && lower.contains("train"):
            framework = "onnxruntime-training"
            frameworkVersion = version
            exporter = "onnxruntime.training artifacts"
        case "skl2onnx":
            framework = "scikit-learn"
            exporter = "skl2onnx \(version)"
        case "":
            evidence = "producer_name is empty: the exporter did not identify itself"
        default:
            framework = name
            frameworkVersion = version
            exporter = name
        }
        if model.opsetImports.contains(where: { $0.domain == "com.microsoft" }) { evidence += "; imports com.microsoft (ONNX Runtime contrib/training ops)" }
        if !model.trainingInfo.isEmpty { evidence += "; carries training_info" }
        return FrameworkInfo(framework: framework, frameworkVersion: frameworkVersion, exporter: exporter, producerName: name,
                             producerVersion: version, irVersion: model.irVersion, opsets: opsets, evidence: evidence)
    }
}
