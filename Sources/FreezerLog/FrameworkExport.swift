/// How `freezer export` took the verified learning model out of the framework it was trained in: every
/// field measured by freezer's driver in the training environment's Python, or by freezer itself.
public struct FrameworkExport: Codable, Sendable, Equatable {
    /// `PyTorch`, `Keras`.
    public var framework: String
    public var frameworkVersion: String
    /// The recipe as read: its path (as given), SHA-256 and full text.
    public var recipe: ConfigurationFile
    public var driver: ExportDriverInfo
    public var python: PythonInfo
    /// The versions of the packages the driver asks for (`not installed` when absent).
    public var packages: [PackageVersion]
    public var pipFreeze: PipFreeze
    /// The checkpoint file(s) the driver read, with their SHA-256 and size.
    public var checkpointFiles: [DataFileInfo]
    public var exporter: ExporterCall
    /// The exported ONNX model (the intermediate artifact that `convert`'s steps then froze).
    public var exportedModel: DataFileInfo
    public var parameterCheck: ParameterCheck
    /// The frozen model compared with the framework's own inference outputs.
    public var frameworkEquivalence: FrameworkEquivalence

    public init(framework: String, frameworkVersion: String, recipe: ConfigurationFile, driver: ExportDriverInfo, python: PythonInfo,
                packages: [PackageVersion], pipFreeze: PipFreeze, checkpointFiles: [DataFileInfo], exporter: ExporterCall,
                exportedModel: DataFileInfo, parameterCheck: ParameterCheck, frameworkEquivalence: FrameworkEquivalence) {
        self.framework = framework
        self.frameworkVersion = frameworkVersion
        self.recipe = recipe
        self.driver = driver
        self.python = python
        self.packages = packages
        self.pipFreeze = pipFreeze
        self.checkpointFiles = checkpointFiles
        self.exporter = exporter
        self.exportedModel = exportedModel
        self.parameterCheck = parameterCheck
        self.frameworkEquivalence = frameworkEquivalence
    }
}

/// The driver freezer ships, and how each of its runs went (standard output and error are evidence).
public struct ExportDriverInfo: Codable, Sendable, Equatable {
    public var sha256: String
    public var interpreter: String
    public var timeoutSeconds: Double
    public var runs: [DriverRun]
    public init(sha256: String, interpreter: String, timeoutSeconds: Double, runs: [DriverRun]) {
        self.sha256 = sha256
        self.interpreter = interpreter
        self.timeoutSeconds = timeoutSeconds
        self.runs = runs
    }
}

public struct DriverRun: Codable, Sendable, Equatable {
    /// `export` (load, export, compare the parameters) or `infer` (the framework's inference outputs).
    public var mode: String
    public var arguments: [String]
    public var exitStatus: Int32
    public var seconds: Double
    public var standardOutput: String
    public var standardError: String
    public init(mode: String, arguments: [String], exitStatus: Int32, seconds: Double, standardOutput: String, standardError: String) {
        self.mode = mode
        self.arguments = arguments
        self.exitStatus = exitStatus
        self.seconds = seconds
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

public struct PythonInfo: Codable, Sendable, Equatable {
    public var version: String
    public var implementation: String
    public var executable: String
    public var build: String
    public var platform: String
    public var machine: String
    public init(version: String, implementation: String, executable: String, build: String, platform: String, machine: String) {
        self.version = version
        self.implementation = implementation
        self.executable = executable
        self.build = build
        self.platform = platform
        self.machine = machine
    }
}

/// `pip freeze --all` of the training environment: its digest and full text (an appendix of the document).
public struct PipFreeze: Codable, Sendable, Equatable {
    public var sha256: String
    public var content: String
    /// Why the list is empty, when pip could not be run.
    public var problem: String?
    public init(sha256: String, content: String, problem: String? = nil) {
        self.sha256 = sha256
        self.content = content
        self.problem = problem
    }
}

/// The exporter call exactly as executed.
public struct ExporterCall: Codable, Sendable, Equatable {
    /// `torchscript`, `dynamo`, `tf2onnx`.
    public var exporter: String
    /// `train`, `eval` or `preserve`: the mode the model was exported in.
    public var training: String
    /// The call as Python text, e.g. `torch.onnx.export(model, args, f, opset_version=17, ...)`.
    public var call: String
    /// Every keyword argument passed, each as JSON text.
    public var parameters: [String: String]
    /// The example inputs traced: `input: float32[2,3,16,16]`.
    public var arguments: [String]
    /// BatchNorm modules whose momentum the driver set to 0 in the exported copy, so that a training-mode
    /// trace leaves their running statistics as the checkpoint has them.
    public var heldRunningStatistics: [String]
    /// The exporter's warnings (Python warnings raised during the call).
    public var warnings: [String]
    public init(exporter: String, training: String, call: String, parameters: [String: String], arguments: [String],
                heldRunningStatistics: [String], warnings: [String]) {
        self.exporter = exporter
        self.training = training
        self.call = call
        self.parameters = parameters
        self.arguments = arguments
        self.heldRunningStatistics = heldRunningStatistics
        self.warnings = warnings
    }
}

/// Every exported initializer named after a checkpoint tensor, compared with it.
public struct ParameterCheck: Codable, Sendable, Equatable {
    public var compared: Int
    public var differences: [ParameterDifference]
    /// True when the recipe accepted differences (`accept_parameter_differences: true`).
    public var differencesAccepted: Bool
    /// Initializers that name no checkpoint tensor (folded or made by the exporter).
    public var notInCheckpoint: [String]
    /// Checkpoint tensors not among the initializers (unused by the graph, or folded).
    public var notExported: [String]
    /// Keras: the initializer that holds each compared weight's values and how (tf2onnx renames initializers
    /// and transposes kernels); absent where tensors are matched by name (PyTorch).
    public var matches: [ParameterMatch]?
    public init(compared: Int, differences: [ParameterDifference], differencesAccepted: Bool, notInCheckpoint: [String], notExported: [String],
                matches: [ParameterMatch]? = nil) {
        self.compared = compared
        self.differences = differences
        self.differencesAccepted = differencesAccepted
        self.notInCheckpoint = notInCheckpoint
        self.notExported = notExported
        self.matches = matches
    }
}

/// A framework weight found among the exported initializers with exactly its values.
public struct ParameterMatch: Codable, Sendable, Equatable {
    public var tensor: String
    public var initializer: String
    /// `as is`, or `transposed [3, 2, 0, 1]`: the order of the weight's axes whose values, in row-major
    /// order, are the initializer's (its shape may differ: a reshape).
    public var transform: String
    public init(tensor: String, initializer: String, transform: String) {
        self.tensor = tensor
        self.initializer = initializer
        self.transform = transform
    }
}

public struct ParameterDifference: Codable, Sendable, Equatable {
    public var name: String
    /// Absent when the shapes differ.
    public var maxAbsDifference: Double?
    public var detail: String
    public init(name: String, maxAbsDifference: Double?, detail: String) {
        self.name = name
        self.maxAbsDifference = maxAbsDifference
        self.detail = detail
    }
}

/// The frozen model (on freezer's evaluator) against the framework's inference outputs, on the same inputs.
public struct FrameworkEquivalence: Codable, Sendable, Equatable {
    /// `equivalent` or `notEquivalent`.
    public var verdict: String
    /// How the framework ran the model, e.g. `model.eval() under torch.no_grad()`.
    public var frameworkInference: String
    /// The rule, in words.
    public var criterion: String
    public var samples: Int
    public var outputs: [FrameworkOutputComparison]
    public init(verdict: String, frameworkInference: String, criterion: String, samples: Int, outputs: [FrameworkOutputComparison]) {
        self.verdict = verdict
        self.frameworkInference = frameworkInference
        self.criterion = criterion
        self.samples = samples
        self.outputs = outputs
    }
}

public struct FrameworkOutputComparison: Codable, Sendable, Equatable {
    public var name: String
    public var elementsCompared: Int
    public var maxAbsError: Double
    public var rmsError: Double
    /// The bound each must stay within (the default criterion), absent under an elementwise rule.
    public var boundMaxAbs: Double?
    public var boundRMS: Double?
    public var passed: Bool
    public var reason: String
    public init(name: String, elementsCompared: Int, maxAbsError: Double, rmsError: Double, boundMaxAbs: Double?, boundRMS: Double?,
                passed: Bool, reason: String) {
        self.name = name
        self.elementsCompared = elementsCompared
        self.maxAbsError = maxAbsError
        self.rmsError = rmsError
        self.boundMaxAbs = boundMaxAbs
        self.boundRMS = boundRMS
        self.passed = passed
        self.reason = reason
    }
}
