import Foundation
import FreezerIR
import FreezerInspect
import FreezerONNX
import Testing

/// Loads fixture models and their MANIFEST.json facts.
enum Fixtures {
    /// `Tests/Fixtures`, found from this file's path so tests run from any working directory.
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).appendingPathComponent("model.onnx").path }

    /// The model of fixture `name`.
    static func model(_ name: String) throws -> LoadedModel {
        try ModelLoader.load(path: path(name))
    }

    /// The inspect report of fixture `name`, with its source filled as the CLI would.
    static func report(_ name: String) throws -> InspectReport {
        let loaded = try model(name)
        return Inspector.inspect(loaded.model, source: InspectSource(loaded.source))
    }

    /// The manifest entry of fixture `name`.
    static func manifest(_ name: String) throws -> ManifestEntry {
        let data = try Data(contentsOf: directory.appendingPathComponent("MANIFEST.json"))
        let manifest = try JSONDecoder().decode(Manifest.self, from: data)
        return try #require(manifest.fixtures.first { $0.name == name }, "no fixture \(name) in MANIFEST.json")
    }
}

extension InspectSource {
    /// What the CLI does: copy FreezerONNX's source description.
    init(_ source: ModelSource) {
        self.init(path: source.path, size: source.size, sha256: source.sha256,
                  dataFiles: source.dataFiles.map { .init(location: $0.location, size: $0.size, sha256: $0.sha256) })
    }
}

struct Manifest: Decodable {
    var fixtures: [ManifestEntry]
}

/// The MANIFEST.json facts the tests compare against.
struct ManifestEntry: Decodable {
    var name: String
    var ir_version: Int64
    var opsets: [String: Int64]
    var inputs: [IO]
    var outputs: [IO]
    var node_count: Int
    var node_counts: [String: Int]
    var subgraph_node_counts: [String: Int]
    var dropout: [DropoutFact]
    var batch_norm: [BatchNormFact]
    var training_info: Bool
    var training_ops: [String]
    var external_data_files: [String]
    var initializers: Int
    var parameters: Int
    var initializers_as_inputs: [String]
    var weight_inputs_without_initializer: [String]?

    struct IO: Decodable {
        var name: String
        var shape: [Int64]?
    }

    struct DropoutFact: Decodable {
        var node: String
        var scope: String
        var since_version: Int64?
        var training: String
        var training_mode_input: String?
        var ratio: Double?
        var seed: Int64?
        var mask_output: String?
        var mask_used: Bool
    }

    struct BatchNormFact: Decodable {
        var node: String
        var scope: String
        var since_version: Int64?
        var outputs: Int
        var training: Bool
        var training_mode: Int64?
        var spatial: Int64?
        var foldable_into: String?
        var producer_weight_shared: Bool?
    }
}

extension InspectReport {
    /// Findings of `category`, failing the test when the category is missing or was not searched.
    func findings(_ category: FindingCategory, sourceLocation: SourceLocation = #_sourceLocation) -> [Finding] {
        let c = self.category(category)
        #expect(c.searched, "category \(category) not searched", sourceLocation: sourceLocation)
        return c.findings
    }

    /// The finding about node `name` in `category`.
    func finding(_ category: FindingCategory, node name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Finding {
        try #require(findings(category, sourceLocation: sourceLocation).first { $0.node == name },
                     "no \(category) finding for node '\(name)'", sourceLocation: sourceLocation)
    }
}

/// Maps the manifest's scope notation (`graph/if.then_branch`) to the report's (`main/if.then_branch`).
func reportPath(_ manifestScope: String) -> String {
    manifestScope == "graph" ? "main" : "main" + manifestScope.dropFirst("graph".count)
}
