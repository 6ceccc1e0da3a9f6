/// The steps of freezer's driver, as it names them in its phase events and in its refusals.
public enum DriverPhase: String, Sendable, Equatable, CaseIterable, Decodable, CustomStringConvertible {
    case environment, framework, factory, checkpoint, inference, export, parameters

    public var description: String {
        switch self {
        case .environment: "recording the environment"
        case .framework: "importing the framework"
        case .factory: "loading the factory"
        case .checkpoint: "loading the checkpoint"
        case .inference: "running the model in inference mode"
        case .export: "exporting"
        case .parameters: "comparing the exported parameters with the checkpoint"
        }
    }
}
