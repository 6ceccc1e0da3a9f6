/// Renders an inspect report for people: a summary block, then the training-specific constructs by
/// category in template order, one aligned line per finding.
public enum InspectTextRenderer {
    public static func render(_ report: InspectReport) -> String {
        (summaryLines(report.summary) + [""] + findingLines(report)).joined(separator: "\n") + "\n"
    }

    // MARK: summary

    static func summaryLines(_ s: ModelSummary) -> [String] {
        var t = TextTable()
        if let source = s.source {
            t.add("Model file", source.path)
            t.add("  size", "\(source.size) bytes")
            if !source.sha256.isEmpty { t.add("  sha256", source.sha256) }
            for file in source.dataFiles {
                t.add("  data file", "\(file.location)  \(file.size) bytes" + (file.sha256.isEmpty ? "" : "  sha256 \(file.sha256)"))
            }
        }
        let producer = [s.producerName, s.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        t.add("Producer", producer.isEmpty ? "(not recorded)" : producer)
        t.add("IR version", "\(s.irVersion)")
        t.add("Opsets", s.opsetImports.map { "\($0.domain) \($0.version)" }.joined(separator: ", "))
        t.add("Model version", "\(s.modelVersion)" + (s.modelDomain.isEmpty ? "" : "  (domain \(s.modelDomain))"))
        t.add("Graph", s.graphName.isEmpty ? "(unnamed)" : s.graphName)
        var lines = t.lines()
        lines += signatureBlock("Inputs", s.inputs)
        if !s.initializerInputs.isEmpty {
            lines += signatureBlock("Initializers listed as inputs (overridable)", s.initializerInputs)
        }
        lines += signatureBlock("Outputs", s.outputs)
        var nodes = TextTable()
        nodes.add("Nodes", "\(s.totalNodeCount) (main graph \(s.mainGraphNodeCount), \(s.subgraphCount) subgraphs)")
        lines += nodes.lines()
        lines += wrapped(countsText(s.nodeCounts), indent: "  ")
        if !s.subgraphNodeCounts.isEmpty {
            lines.append("  in subgraphs:")
            lines += wrapped(countsText(s.subgraphNodeCounts), indent: "    ")
        }
        var rest = TextTable()
        rest.add("Parameters", "\(s.parameterCount) elements in \(plural(s.initializerCount, "initializer")), \(s.parameterBytes) bytes")
        var parameters = TextTable()
        for p in s.parameters {
            parameters.add(p.name, p.type, "\(p.elements) elements", p.storage + (p.isGraphInput ? ", also a graph input" : ""))
        }
        var tail = TextTable()
        tail.add("training_info", s.trainingInfoCount == 0 ? "none" : "\(plural(s.trainingInfoCount, "entry", "entries")), \(s.trainingInfoNodeCount) nodes")
        if s.functionCount > 0 { tail.add("Functions", "\(s.functionCount)") }
        return lines + rest.lines() + parameters.lines(indent: "  ") + tail.lines()
    }

    private static func signatureBlock(_ title: String, _ items: [TensorSignature]) -> [String] {
        guard !items.isEmpty else { return ["\(title): none"] }
        var t = TextTable()
        for item in items { t.add(item.name, item.type) }
        return ["\(title):"] + t.lines(indent: "  ")
    }

    private static func countsText(_ counts: [String: Int]) -> [String] {
        counts.keys.sorted().map { "\($0) \(counts[$0]!)" }
    }

    /// Items joined with ", " into lines of at most ~100 characters.
    private static func wrapped(_ items: [String], indent: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for item in items {
            if !line.isEmpty && line.count + item.count + 2 > 100 {
                lines.append(indent + line + ",")
                line = ""
            }
            line += line.isEmpty ? item : ", \(item)"
        }
        if !line.isEmpty { lines.append(indent + line) }
        return lines
    }

    // MARK: findings

    static func findingLines(_ report: InspectReport) -> [String] {
        var lines = ["Training-specific constructs"]
        for category in FindingCategory.allCases {
            let c = report.category(category)
            guard c.searched else {
                lines.append("\(category.displayName): not searched")
                continue
            }
            if c.findings.isEmpty {
                lines.append("\(category.displayName): not present (searched \(plural(c.nodesSearched, "node")) in \(plural(c.graphsSearched, "graph")))")
                continue
            }
            lines.append("\(category.displayName): \(c.findings.count) found")
            var t = TextTable()
            for f in c.findings {
                let op = f.opType.map { op in op + (f.opsetVersion.map { " (opset \($0))" } ?? "") } ?? (f.value == nil ? "-" : "value")
                t.add(stateLabel(f.state), f.node ?? f.value ?? "-", op, f.graphPath, f.detail)
            }
            lines += t.lines(indent: "  ")
        }
        return lines
    }

    /// `1 node`, `2 nodes`.
    static func plural(_ n: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : pluralForm ?? singular + "s")
    }

    static func stateLabel(_ state: FindingState) -> String {
        switch state {
        case .training: "TRAINING"
        case .inference: "inference"
        case .runtimeInput: "run-time"
        case .unknown: "unknown"
        case .informational: "info"
        }
    }
}
