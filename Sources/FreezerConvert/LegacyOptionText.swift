import Foundation
import FreezerLog

/// LEGACY: reads the options that matter to `--reverify` from the readable text of a log's
/// `converter.options`, for logs written before `converter.recordedOptions` existed. New logs carry
/// typed options and never come here; this keeps the old ones verifiable, reading them as before.
enum LegacyOptionText {
    /// Sets `--samples`, `--seed`, `--rtol`, `--atol`, `--input-shape` and `--inputs` where the text
    /// says the user gave them; the others keep the values `options` has.
    static func read(_ recorded: [OptionValue], into options: inout ConversionOptions) throws(ConversionError) {
        func given(_ name: String) -> String? { recorded.first { $0.name == name && !$0.isDefault }?.value }
        func unreadable(_ name: String, _ text: String) -> ConversionError {
            .badOption("the log records \(name) as '\(text)', which --reverify cannot read back; it cannot repeat this check")
        }
        if let text = given("--samples") {
            guard let n = Int(text), n >= 1 else { throw unreadable("--samples", text) }
            options.samples = n
        }
        if let text = given("--seed") {
            guard let n = UInt64(text) else { throw unreadable("--seed", text) }
            options.seed = n
        }
        for (name, path) in [("--rtol", \ConversionOptions.rtol), ("--atol", \ConversionOptions.atol)] {
            if let text = given(name) {
                guard let x = Double(text) else { throw unreadable(name, text) }
                options[keyPath: path] = x
            }
        }
        if let text = given("--input-shape") {
            // The text is `InputShapeOption.text`: the arguments joined by ", ".
            let arguments = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            do { options.inputShapes = try InputShapeOption.parse(arguments) } catch { throw unreadable("--input-shape", text) }
        }
        if let text = given("--inputs") {
            options.inputsDirectory = text
        }
    }
}
