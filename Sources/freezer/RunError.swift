import FreezerKernels

/// Why `freezer run` cannot run a model on the given data. Each message is one paragraph that names
/// the input or file at fault and says what would be accepted.
enum RunError: Error, CustomStringConvertible {
    case badInputArgument(String)
    case unknownInput(name: String, argument: String, modelInputs: [String])
    case duplicateInput(name: String)
    case missingInputs([(name: String, type: String)])
    case noExpectedOutputs(directory: String)
    case saveDirectoryMissing(String)
    case outputFileCollision(file: String, names: [String])
    /// The reference evaluator refused the model or failed inside it.
    case evaluation(EvaluationError)

    var description: String {
        switch self {
        case let .badInputArgument(arg):
            "--input expects NAME=FILE (for example --input x=x.npy), but got '\(arg)'."
        case let .unknownInput(name, arg, inputs):
            "--input \(arg): the model has no input named '\(name)'. Its inputs are: \(inputs.map { "'\($0)'" }.joined(separator: ", ")). (`freezer inspect MODEL` lists them with their types.)"
        case let .duplicateInput(name):
            "input '\(name)' is given by more than one --input; give each input once."
        case let .missingInputs(missing):
            "the model needs \(missing.count == 1 ? "input" : "inputs") \(missing.map { "'\($0.name)' (\($0.type))" }.joined(separator: ", ")), but no --input gives \(missing.count == 1 ? "it" : "them"). Add \(missing.map { "--input \($0.name)=FILE.npy" }.joined(separator: " "))."
        case let .noExpectedOutputs(dir):
            "'\(dir)' has no output_K.pb files, so there is nothing to compare with. Use --input NAME=FILE to just run the model."
        case let .saveDirectoryMissing(dir):
            "--save-outputs directory '\(dir)' does not exist or is not a directory. Create it first (freezer does not create directories)."
        case let .outputFileCollision(file, names):
            "outputs \(names.map { "'\($0)'" }.joined(separator: " and ")) would both be saved as '\(file)' (characters a file name cannot hold become '_'). Nothing was written."
        case let .evaluation(error):
            "evaluation failed: \(error)"
        }
    }

    var exitCode: Int32 {
        switch self {
        case .badInputArgument, .unknownInput, .duplicateInput, .missingInputs: ExitStatus.usage
        case .noExpectedOutputs: ExitStatus.invalidModel
        case .saveDirectoryMissing, .outputFileCollision: ExitStatus.cannotWrite
        case .evaluation: ExitStatus.cannotEvaluate
        }
    }
}
