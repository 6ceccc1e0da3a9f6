import Foundation
import FreezerIR
#if canImport(Glibc)
import Glibc
#endif

/// The freezer under qualification run as a child process, as a user runs it: the CLI path end to end
/// (argument parsing, the one exit-code mapping, the messages), and the process the crash-safety test kills.
struct FreezerProcess {
    struct Finished {
        var status: Int32
        var standardOutput: String
        var standardError: String
        /// Everything it printed, for the checks on its messages.
        var text: String { standardOutput + standardError }
    }

    let executable: String

    /// Runs freezer with `arguments` to its end.
    func run(_ arguments: [String]) throws -> Finished {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes drained at once, before waiting: a child that fills either one is never blocked on it.
        let errors = Background { () -> Data in err.fileHandleForReading.readDataToEndOfFile() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = errors.value()
        process.waitUntilExit()
        return Finished(status: process.terminationStatus, standardOutput: String(decoding: stdout, as: UTF8.self),
                        standardError: String(decoding: stderr, as: UTF8.self))
    }

    /// Starts freezer with `arguments`, sends SIGKILL after `seconds` and waits for it; returns its pid and
    /// whether the signal ended it (false: it had finished before).
    func kill(_ arguments: [String], after seconds: Double) throws -> (pid: Int32, killed: Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(useconds_t(max(0, seconds) * 1e6))
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return (process.processIdentifier, process.terminationReason == .uncaughtSignal)
    }
}
