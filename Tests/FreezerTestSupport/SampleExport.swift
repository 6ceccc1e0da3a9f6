import FreezerLog

/// A `freezer export` record with every optional field set.
public func sampleExport() -> FrameworkExport {
    let digest = String(repeating: "a", count: 64)
    return FrameworkExport(
        framework: "PyTorch", frameworkVersion: "2.13.0", recipe: ConfigurationFile(path: "r.yaml", sha256: digest, content: "framework: pytorch"),
        driver: ExportDriverInfo(sha256: digest, interpreter: "/usr/bin/python3", timeoutSeconds: 600,
                                 runs: [DriverRun(mode: "export", arguments: ["d.py", "r.json"], exitStatus: 0, seconds: 1, standardOutput: "", standardError: "")]),
        python: PythonInfo(version: "3.11.7", implementation: "CPython", executable: "/usr/bin/python3", build: "b", platform: "Linux", machine: "x86_64"),
        packages: [PackageVersion(name: "torch", version: "2.13.0")], pipFreeze: PipFreeze(sha256: digest, content: "torch==2.13.0", problem: "p"),
        checkpointFiles: [DataFileInfo(location: "c.pt", sha256: digest, size: 1)],
        exporter: ExporterCall(exporter: "torchscript", training: "train", call: "torch.onnx.export(...)", parameters: ["opset_version": "17"],
                               arguments: ["input: float32[1,3]"], heldRunningStatistics: ["1"], warnings: ["w"]),
        exportedModel: DataFileInfo(location: "e.onnx", sha256: digest, size: 1),
        parameterCheck: ParameterCheck(compared: 1, differences: [ParameterDifference(name: "bn.running_mean", maxAbsDifference: 0.1, detail: "d")],
                                       differencesAccepted: true, notInCheckpoint: ["x"], notExported: ["y"]),
        frameworkEquivalence: FrameworkEquivalence(verdict: "equivalent", frameworkInference: "model.eval()", criterion: "c", samples: 1,
                                                   outputs: [FrameworkOutputComparison(name: "y", elementsCompared: 2, maxAbsError: 0, rmsError: 0,
                                                                                       boundMaxAbs: 1e-6, boundRMS: 1e-6, passed: true, reason: "r")]))
}
