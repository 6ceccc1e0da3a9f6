import FreezerIR
import FreezerInspect

/// What passes record while they run: the evidence that reaches the conversion log.
public struct PassContext: Sendable {
    public private(set) var changes: [PassChange] = []
    public private(set) var skips: [PassSkip] = []
    /// The pass now running, stamped on every record.
    var currentPass = ""
    /// Where passes put the tensors they create; nil keeps them in memory.
    public let tensorStore: TensorStore?

    public init(tensorStore: TensorStore? = nil) {
        self.tensorStore = tensorStore
    }

    public mutating func record(_ category: FindingCategory, graph: String, nodes: [String], action: String,
                                detail: String, evidence: [String: String] = [:]) {
        changes.append(PassChange(pass: currentPass, category: category, graph: graph, nodes: nodes,
                                  action: action, detail: detail, evidence: evidence))
    }

    /// Records a place left unchanged. `nothingToDo`: there was nothing training-specific to change (not
    /// present, or already in inference form), as opposed to a construct the pass had to keep.
    public mutating func skip(_ category: FindingCategory, graph: String, node: String, reason: String, nothingToDo: Bool = false) {
        skips.append(PassSkip(pass: currentPass, category: category, graph: graph, node: node, reason: reason, nothingToDo: nothingToDo))
    }
}

/// One change a pass made.
public struct PassChange: Sendable, Codable, Equatable {
    public var pass: String
    public var category: FindingCategory
    /// `main`, or the path of a subgraph such as `main/If_0.then_branch`.
    public var graph: String
    public var nodes: [String]
    /// What was done, in a few words: `removed`, `folded into Conv 'conv1'`, `converted to inference form`.
    public var action: String
    public var detail: String
    /// Measured facts supporting the change (e.g. the largest change of a folded tensor).
    public var evidence: [String: String]
}

/// A place a pass examined and left unchanged, with the reason.
public struct PassSkip: Sendable, Codable, Equatable {
    public var pass: String
    public var category: FindingCategory
    public var graph: String
    public var node: String
    public var reason: String
    /// Nothing training-specific was there to change; false: a construct was kept (the log lists it).
    public var nothingToDo: Bool
}

/// A conversion that cannot be done safely. The message names the node and what to do.
public struct PassError: Error, Sendable, Equatable, CustomStringConvertible {
    public var pass: String
    public var message: String
    /// Set when the pass could not write a tensor it made to the temporary store (a full disk): not a
    /// property of the model, so the caller reports it as a write failure, not as a refusal to freeze.
    public var storageFailure: TensorStoreError?
    public init(pass: String, _ message: String, storageFailure: TensorStoreError? = nil) {
        self.pass = pass
        self.message = message
        self.storageFailure = storageFailure
    }
    public var description: String { "\(pass): \(message)" }
}
