/// "Loading and Converting the Verified Learning Model" rows of Table 1.
public struct LoadingAndConverting: Codable, Sendable, Equatable {
    public var frameworkAndVersion: FrameworkInfo
    public var packagesAndVersion: PackagesInfo
    public var converter: ConverterInfo
    public var environmentInformation: EnvironmentInfo
    /// Present when the model came through `freezer export`: the export from the framework, as measured.
    public var export: FrameworkExport?
    public init(frameworkAndVersion: FrameworkInfo, packagesAndVersion: PackagesInfo, converter: ConverterInfo,
                environmentInformation: EnvironmentInfo, export: FrameworkExport? = nil) {
        self.frameworkAndVersion = frameworkAndVersion
        self.packagesAndVersion = packagesAndVersion
        self.converter = converter
        self.environmentInformation = environmentInformation
        self.export = export
    }
}

/// The framework that produced the verified learning model: detected from the file, or measured by
/// `freezer export`'s driver (then `evidence` says so).
public struct FrameworkInfo: Codable, Sendable, Equatable {
    /// PyTorch, TensorFlow (tf2onnx), Keras, onnxruntime-training, … or `unknown`.
    public var framework: String
    public var frameworkVersion: String
    /// The exporter, when the producer fields name it (`torch.onnx.export (TorchScript)`, `tf2onnx 1.16`).
    public var exporter: String
    public var producerName: String
    public var producerVersion: String
    public var irVersion: Int64
    public var opsets: [OpsetInfo]
    /// What the detection was based on.
    public var evidence: String
    public init(framework: String, frameworkVersion: String, exporter: String, producerName: String, producerVersion: String,
                irVersion: Int64, opsets: [OpsetInfo], evidence: String) {
        self.framework = framework
        self.frameworkVersion = frameworkVersion
        self.exporter = exporter
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.irVersion = irVersion
        self.opsets = opsets
        self.evidence = evidence
    }
}

public struct PackagesInfo: Codable, Sendable, Equatable {
    public var converter: PackageVersion
    public var libraries: [PackageVersion]
    /// ONNX IR version and opsets read (input) and written (frozen model).
    public var onnxRead: String
    public var onnxWritten: String
    public init(converter: PackageVersion, libraries: [PackageVersion], onnxRead: String, onnxWritten: String) {
        self.converter = converter
        self.libraries = libraries
        self.onnxRead = onnxRead
        self.onnxWritten = onnxWritten
    }
}

public struct PackageVersion: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    public var detail: String?
    public init(name: String, version: String, detail: String? = nil) {
        self.name = name
        self.version = version
        self.detail = detail
    }
}

/// "Converter / model conversion script": exactly how freezer was run.
public struct ConverterInfo: Codable, Sendable, Equatable {
    public var commandLine: [String]
    public var workingDirectory: String
    /// Every option with its effective value; `isDefault` when the user did not give it.
    public var options: [OptionValue]
    /// The same options as typed values. Absent in logs written before it was recorded: readers then
    /// fall back to the text of `options`.
    public var recordedOptions: RecordedOptions?
    public var pipeline: [PipelineStep]
    public var configurationFile: ConfigurationFile?
    public init(commandLine: [String], workingDirectory: String, options: [OptionValue], recordedOptions: RecordedOptions? = nil,
                pipeline: [PipelineStep], configurationFile: ConfigurationFile?) {
        self.commandLine = commandLine
        self.workingDirectory = workingDirectory
        self.options = options
        self.recordedOptions = recordedOptions
        self.pipeline = pipeline
        self.configurationFile = configurationFile
    }
}

public struct OptionValue: Codable, Sendable, Equatable {
    public var name: String
    public var value: String
    public var isDefault: Bool
    public init(name: String, value: String, isDefault: Bool) {
        self.name = name
        self.value = value
        self.isDefault = isDefault
    }
}

public struct PipelineStep: Codable, Sendable, Equatable {
    public var pass: String
    public var summary: String
    public var parameters: [String: String]
    public init(pass: String, summary: String, parameters: [String: String]) {
        self.pass = pass
        self.summary = summary
        self.parameters = parameters
    }
}

public struct ConfigurationFile: Codable, Sendable, Equatable {
    public var path: String
    public var sha256: String
    public var content: String
    public init(path: String, sha256: String, content: String) {
        self.path = path
        self.sha256 = sha256
        self.content = content
    }
}

/// Measured at run time.
public struct EnvironmentInfo: Codable, Sendable, Equatable {
    public var operatingSystem: String
    public var kernel: String
    public var architecture: String
    public var cpuModel: String
    public var cpuFeaturesUsed: [String]
    public var cores: Int
    public var memoryBytes: UInt64
    public var swiftRuntime: String
    public var locale: String
    public var timeZone: String
    /// Recorded only when asked for (`--record-host`).
    public var hostName: String?
    public init(operatingSystem: String, kernel: String, architecture: String, cpuModel: String, cpuFeaturesUsed: [String],
                cores: Int, memoryBytes: UInt64, swiftRuntime: String, locale: String, timeZone: String, hostName: String?) {
        self.operatingSystem = operatingSystem
        self.kernel = kernel
        self.architecture = architecture
        self.cpuModel = cpuModel
        self.cpuFeaturesUsed = cpuFeaturesUsed
        self.cores = cores
        self.memoryBytes = memoryBytes
        self.swiftRuntime = swiftRuntime
        self.locale = locale
        self.timeZone = timeZone
        self.hostName = hostName
    }
}
