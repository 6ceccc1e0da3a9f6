import Foundation

/// Whether an interpreter can run the PyTorch driver: python3, or the one FREEZER_EXPORT_PYTHON names.
public enum TrainingEnvironment {
    public static let python = ProcessInfo.processInfo.environment["FREEZER_EXPORT_PYTHON"] ?? "python3"

    public static func imports(_ modules: String, python: String = "python3") -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, "-c", "import \(modules)"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    public static let hasTorch = imports("torch, onnx")
    public static let hasDynamo = imports("torch, onnx, onnxscript", python: python)
    public static let python3LacksOnnxscript = hasTorch && !imports("onnxscript")
    public static let hasKeras = imports("tensorflow, keras, tf2onnx, onnx", python: python)
}
