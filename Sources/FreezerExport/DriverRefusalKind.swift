/// The kinds of refusal the driver reports in its result (`{"error": {"kind": …}}`), as the driver spells
/// them: one list for reading the result (`DriverReport.refusal`) and for the rules qualification checks
/// (`ExportError.driverRefusalKinds`).
public enum DriverRefusalKind: String, Sendable, CaseIterable {
    case packageMissing = "package_missing"
    case factoryInvalid = "factory_invalid"
    case checkpointMissing = "checkpoint_missing"
    case checkpointMismatch = "checkpoint_mismatch"
    case inputRejected = "input_rejected"
    case exporterFailed = "exporter_failed"
    case parameterDifferences = "parameter_differences"
    case badRecipe = "bad_recipe"
    case modelCode = "model_code"
}
