import FreezerLog

/// What `freezer export` measured: Table 1's rows gain the framework's facts, and section 4.6 holds the
/// export's evidence (exporter call, parameter check, framework comparison, driver runs, recipe, and the
/// training environment's `pip freeze` in full).
extension DocumentBuilder {
    static func exportedModel(_ x: FrameworkExport, _ m: ModelFileInfo) -> String {
        var lines = x.checkpointFiles.map { "Checkpoint: \($0.location), \(TextFormat.bytes($0.size)), SHA-256 \($0.sha256)" }
        lines.append("Exported by freezer export (\(x.exporter.exporter), \(x.exporter.training) mode) to the intermediate ONNX model below; details: section 4.6")
        return (lines + [modelFile(m)]).joined(separator: "\n")
    }

    static func frameworkPackages(_ x: FrameworkExport) -> String {
        (["Training environment (measured by the driver; pip freeze SHA-256 \(x.pipFreeze.sha256), full list in section 4.6):"]
            + x.packages.map { "  \($0.name) \($0.version)" }).joined(separator: "\n")
    }

    static func exportScript(_ x: FrameworkExport) -> String {
        [
            "Exporter call: \(x.exporter.call)",
            "Driver: freezer export driver, SHA-256 \(x.driver.sha256), run by \(x.driver.interpreter) (timeout \(TextFormat.number(x.driver.timeoutSeconds)) s)",
            "Recipe: \(x.recipe.path), SHA-256 \(x.recipe.sha256) (content in section 4.6)",
            "Exporter warnings: \(x.exporter.warnings.count) (section 4.6)",
        ].joined(separator: "\n")
    }

    static func python(_ x: FrameworkExport) -> String {
        "Python (training environment): \(x.python.implementation) \(x.python.version), \(x.python.executable); platform \(x.python.platform)"
    }

    static func frameworkVerdict(_ x: FrameworkExport) -> String {
        "Framework vs frozen: \(x.frameworkEquivalence.verdict) on \(TextFormat.count(x.frameworkEquivalence.samples, "sample")) (\(x.frameworkEquivalence.frameworkInference))"
    }

    /// 4.6: the export's evidence.
    mutating func exportDetails() {
        guard let x = conversion.loadingAndConverting.export else { return }
        add(.heading(level: 2, text: "4.6 Export from the Framework"))
        add(.paragraph("The verified learning model is the \(x.framework) \(x.frameworkVersion) model of the checkpoint(s) below. freezer's driver "
            + "exported it in the training environment, compared the exported initializers with the checkpoint, and ran the model in inference "
            + "mode on the inputs of section 4.3; freezer then compared the frozen model with those outputs."))
        table("Exporter call", [.init("Item", weight: 1), .init("Value", weight: 3.2)], [
            .cells(["Call", x.exporter.call]),
            .cells(["Parameters", x.exporter.parameters.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: "\n")]),
            .cells(["Example inputs", x.exporter.arguments.joined(separator: "\n")]),
            .cells(["Running statistics held", x.exporter.heldRunningStatistics.isEmpty ? "none"
                    : "momentum 0 in the exported copy for BatchNorm \(x.exporter.heldRunningStatistics.joined(separator: ", "))"]),
            .cells(["Exported model", "\(x.exportedModel.location)\n\(TextFormat.bytes(x.exportedModel.size)), SHA-256 \(x.exportedModel.sha256)"]),
        ])
        let p = x.parameterCheck
        if let matches = p.matches {
            // Keras: weights looked for by value (tf2onnx renames initializers and transposes kernels).
            add(.paragraph("Parameter check: \(TextFormat.count(p.compared, "weight")) of the model found among the exported initializers with "
                + "exactly their values, up to a transpose and a reshape."
                + (p.notExported.isEmpty ? "" : " Not found as they are (folded or rewritten by the exporter; the framework check below "
                    + "covers them): \(p.notExported.joined(separator: ", ")).")))
            if !matches.isEmpty {
                table("Weights found in the exported model", [.init("Weight", weight: 1.5), .init("Initializer", weight: 2), .init("Axes", weight: 1)],
                      matches.map { .cells([$0.tensor, $0.initializer, $0.transform]) })
            }
        } else {
            add(.paragraph("Parameter check: \(TextFormat.count(p.compared, "exported initializer")) compared with the checkpoint; "
                + (p.differences.isEmpty ? "all equal." : "\(p.differences.count) differ" + (p.differencesAccepted ? ", ACCEPTED by the recipe." : "."))
                + (p.notExported.isEmpty ? "" : " Checkpoint tensors not exported: \(p.notExported.joined(separator: ", ")).")
                + (p.notInCheckpoint.isEmpty ? "" : " Initializers not named after a checkpoint tensor: \(p.notInCheckpoint.joined(separator: ", ")).")))
        }
        if !p.differences.isEmpty {
            table("Exported initializers that differ from the checkpoint", [.init("Tensor", weight: 1.5), .init("Largest difference", weight: 1), .init("Detail", weight: 2.5)],
                  p.differences.map { .cells([$0.name, $0.maxAbsDifference.map(TextFormat.number) ?? "shape", $0.detail]) })
        }
        let f = x.frameworkEquivalence
        add(.paragraph("Framework vs frozen: \(f.verdict). Criterion: \(f.criterion)."))
        table("Frozen model against the framework's inference outputs", [.init("Output", weight: 1), .init("Max |frozen − framework|", weight: 1),
                                                                        .init("RMS", weight: 1), .init("Verdict and reason", weight: 3)],
              f.outputs.map { .cells([$0.name, TextFormat.number($0.maxAbsError), TextFormat.number($0.rmsError), "\($0.passed ? "passed" : "FAILED"): \($0.reason)"]) })
        table("Driver runs (standard output and error are recorded in the log)", [.init("Run", weight: 0.8), .init("Exit", weight: 0.5),
                                                                                 .init("Seconds", weight: 0.7), .init("Standard error (last lines)", weight: 4)],
              x.driver.runs.map { .cells([$0.mode, String($0.exitStatus), TextFormat.number($0.seconds),
                                          $0.standardError.split(separator: "\n").suffix(3).joined(separator: "\n")]) })
        add(.paragraph("Exporter warnings:"))
        add(.bullets(x.exporter.warnings.isEmpty ? ["none"] : x.exporter.warnings))
        add(.paragraph("Recipe \(x.recipe.path) (SHA-256 \(x.recipe.sha256)):"))
        add(.bullets(x.recipe.content.split(separator: "\n").map(String.init)))
        add(.paragraph("Packages of the training environment, pip freeze (SHA-256 \(x.pipFreeze.sha256))"
            + (x.pipFreeze.problem.map { ": not available, \($0)" } ?? ":")))
        if !x.pipFreeze.content.isEmpty { add(.bullets(x.pipFreeze.content.split(separator: "\n").map(String.init))) }
    }
}
