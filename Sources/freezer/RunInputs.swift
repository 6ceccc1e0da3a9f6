import Foundation
import FreezerIR
import FreezerKernels
import FreezerONNX

/// Parsing `freezer run --input NAME=FILE`, describing arrays and naming output files. Files are read
/// and checked by `FeedFile` and `FeedDirectory`, as for every other command.
enum RunInputs {
    /// Splits `NAME=FILE`. Input names may themselves contain '=': the longest prefix that names a
    /// model input wins, else the text before the first '='.
    static func parseAssignment(_ argument: String, inputNames: Set<String>) throws(RunError) -> (name: String, file: String) {
        let parts = argument.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { throw .badInputArgument(argument) }
        for k in stride(from: parts.count - 1, through: 1, by: -1) {
            let name = parts[..<k].joined(separator: "=")
            if inputNames.contains(name) { return (name, parts[k...].joined(separator: "=")) }
        }
        let (name, file) = (parts[0], parts[1...].joined(separator: "="))
        guard !name.isEmpty, !file.isEmpty else { throw .badInputArgument(argument) }
        return (name, file)
    }

    /// `element type[dims]` of an array, as the model's declarations are printed.
    static func describe(_ array: NDArray) -> String {
        "\(array.elementType)[\(array.shape.map(String.init).joined(separator: ","))]"
    }

    /// A file name for an output (the rule `convert --inputs` reads back with).
    static func fileName(forOutput name: String) -> String { TensorFileName.make(name) }
}
