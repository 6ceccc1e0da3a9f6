import FreezerLog

/// "Table 1. Model conversion information": the template's rows, each with the log's facts.
extension DocumentBuilder {
    mutating func tableOne() {
        let c = conversion
        let lc = c.loadingAndConverting
        var rows: [Table.Row] = [
            .cells(["Model conversion", c.modelConversionID]),
            .cells(["Date", TextFormat.dateTime(c.date)]),
            .cells(["Responsible", c.responsible]),
            .cells(["Phase of the lifecycle", c.phaseOfTheLifecycle]),
            .cells(["Verified Learning Model", lc.export.map { Self.exportedModel($0, c.verifiedLearningModel) } ?? Self.modelFile(c.verifiedLearningModel)]),
            .cells(["Verified Learning Model ID", "\(c.verifiedLearningModelID) (Model ID \(c.modelID), version \(c.modelIDVersion))"]),
            .cells(["Frozen Model", "File: \(log.frozenModel.file.fileName)\nSHA-256: \(log.frozenModel.file.sha256)\nDetails: section 4.2"]),
            .cells(["Equivalence Verification", "Verdict: \(log.equivalence.verdict)\n"
                + (log.equivalence.criterion.map { "Criterion: \(Self.criterionSummary($0))\n" } ?? "")
                + "\(log.equivalence.statement)\n" + (lc.export.map { Self.frameworkVerdict($0) + "\n" } ?? "") + "Details: section 4.3"]),
            .group("Elimination of Training-Specific Operations"),
        ]
        let entries = c.eliminationOfTrainingSpecificOperations
        for e in entries where e.inTemplate {
            rows.append(.cells(["- \(e.name)", "Status: \(e.status)\n\(e.summary)"]))
        }
        for e in entries where !e.inTemplate {
            rows.append(.cells(["- \(e.name) (beyond the template)", "Status: \(e.status)\n\(e.summary)"]))
        }
        rows += [
            .group("Loading and Converting the Verified Learning Model"),
            .cells(["Framework and version", Self.framework(lc.frameworkAndVersion, measured: lc.export != nil)]),
            .cells(["Packages and version", ([Self.packages(lc.packagesAndVersion)] + (lc.export.map { [Self.frameworkPackages($0)] } ?? [])).joined(separator: "\n")]),
            .cells(["Converter/model conversion script", ((lc.export.map { [Self.exportScript($0)] } ?? []) + [Self.converter(lc.converter)]).joined(separator: "\n")]),
            .cells(["Environment information", ([Self.environment(lc.environmentInformation)] + (lc.export.map { [Self.python($0)] } ?? [])).joined(separator: "\n")]),
        ]
        table("Model conversion information", [.init("Item", weight: 1), .init("Information", weight: 2.6)], rows)
    }

    static func opsets(_ o: [OpsetInfo]) -> String { TextFormat.opsets(o.map { ($0.domain, $0.version) }) }

    static func signatures(_ s: [TensorSignature]) -> String {
        s.isEmpty ? "none" : s.map { "\($0.name) \($0.type)" }.joined(separator: "; ")
    }

    static func dataFiles(_ files: [DataFileInfo]) -> String {
        files.isEmpty ? "none (all tensors inline)"
            : files.map { "\($0.location), \(TextFormat.bytes($0.size)), SHA-256 \($0.sha256)" }.joined(separator: "\n")
    }

    /// File, digest, size, data files, producer, IR, opsets, inputs/outputs, size of the graph.
    static func modelFile(_ m: ModelFileInfo) -> String {
        [
            "File: \(m.fileName)",
            "Path: \(m.path)",
            "SHA-256: \(m.sha256)",
            "Size: \(TextFormat.bytes(m.size))",
            "Data files: \(dataFiles(m.dataFiles))",
            "Producer: \(m.producerName.isEmpty ? "(not recorded in the file)" : m.producerName) \(m.producerVersion)",
            "IR version: \(m.irVersion); opsets: \(opsets(m.opsets))",
            "Inputs: \(signatures(m.inputs))",
            "Outputs: \(signatures(m.outputs))",
            "Nodes: \(TextFormat.grouped(m.nodeCount)); parameters: \(TextFormat.grouped(m.parameterCount)) values",
        ].joined(separator: "\n")
    }

    static func framework(_ f: FrameworkInfo, measured: Bool = false) -> String {
        [
            "\(f.framework) \(f.frameworkVersion)",
            "Exporter: \(f.exporter)",
            "Producer: \(f.producerName) \(f.producerVersion); IR version \(f.irVersion); opsets \(opsets(f.opsets))",
            (measured ? "Source: " : "Detected from: ") + f.evidence,
        ].joined(separator: "\n")
    }

    static func packages(_ p: PackagesInfo) -> String {
        func line(_ v: PackageVersion) -> String { "\(v.name) \(v.version)" + (v.detail.map { " (\($0))" } ?? "") }
        return ([line(p.converter)] + p.libraries.map(line) + ["ONNX read: \(p.onnxRead)", "ONNX written: \(p.onnxWritten)"])
            .joined(separator: "\n")
    }

    /// The command line, every option with its effective value (defaults marked), and the pass pipeline.
    static func converter(_ c: ConverterInfo) -> String {
        var lines = ["Command line: \(TextFormat.commandLine(c.commandLine))", "Working directory: \(c.workingDirectory)",
                     "Options (effective values; [default] = not given on the command line):"]
        lines += c.options.map { "  \($0.name) = \($0.value)\($0.isDefault ? " [default]" : "")" }
        lines.append("Pass pipeline, in order:")
        for (i, step) in c.pipeline.enumerated() {
            let parameters = step.parameters.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            lines.append("  \(i + 1). \(step.pass): \(step.summary)" + (parameters.isEmpty ? "" : " [\(parameters.joined(separator: "; "))]"))
        }
        if let file = c.configurationFile {
            lines.append("Configuration file: \(file.path), SHA-256 \(file.sha256)")
        } else {
            lines.append("Configuration file: none (all settings are the options above)")
        }
        return lines.joined(separator: "\n")
    }

    static func environment(_ e: EnvironmentInfo) -> String {
        [
            "Operating system: \(e.operatingSystem)",
            "Kernel: \(e.kernel)",
            "Architecture: \(e.architecture); CPU: \(e.cpuModel), \(TextFormat.count(e.cores, "core"))",
            "CPU features used: \(e.cpuFeaturesUsed.isEmpty ? "none recorded" : e.cpuFeaturesUsed.joined(separator: ", "))",
            "Memory: \(TextFormat.bytes(e.memoryBytes))",
            "Swift runtime: \(e.swiftRuntime)",
            "Locale: \(e.locale); time zone: \(e.timeZone)",
            "Host name: \(e.hostName ?? "not recorded (--record-host not given)")",
        ].joined(separator: "\n")
    }
}
