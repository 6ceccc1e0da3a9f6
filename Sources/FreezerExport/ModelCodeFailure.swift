/// An exception the model's own code raised in the driver (the factory's module and what it imports,
/// the model's forward, a custom Keras layer): the user's input refused, not a failure of freezer.
/// The model's code is every Python file that is neither the driver nor installed in the environment.
public struct ModelCodeFailure: Sendable, Equatable, CustomStringConvertible {
    /// The driver's step when it was raised (nil from a driver that does not say).
    public var phase: DriverPhase?
    /// The innermost frame of the model's code, relative to the recipe's directory where it is inside.
    public var file: String
    public var line: Int
    public var function: String
    /// `TypeName: message`.
    public var exception: String
    /// Where a library the model's code called raised it (`torch/nn/functional.py:2955`); nil when the
    /// model's code raised it itself.
    public var raisedIn: String?
    /// The model's frames, innermost last (`src/cnn/nets.py:12 in build`).
    public var frames: [String]

    public init(phase: DriverPhase?, file: String, line: Int, function: String, exception: String, raisedIn: String? = nil, frames: [String] = []) {
        self.phase = phase
        self.file = file
        self.line = line
        self.function = function
        self.exception = exception
        self.raisedIn = raisedIn
        self.frames = frames
    }

    public var description: String {
        let when = phase.map { " while \($0)" } ?? ""
        let place = raisedIn.map { "raised in \($0), called from the model's code at \(file):\(line) (in \(function))" }
            ?? "raised at \(file):\(line) (in \(function))"
        let trace = frames.count > 1 ? "\nThe model's frames, innermost last:\n" + frames.map { "  " + $0 }.joined(separator: "\n") : ""
        let advice = phase == .export
            ? "Fix it, or export in another mode (export.training, export.exporter), so that the exporter can trace the model"
            : "Fix it so that the model loads and runs in the training environment (the recipe's interpreter)"
        return "the model's own code failed\(when): \(exception)\n\(place)\(trace)\n\(advice); nothing was written."
    }
}
