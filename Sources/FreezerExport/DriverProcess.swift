import Foundation
import FreezerIR
#if canImport(Glibc)
import Glibc
#endif

/// Runs the interpreter on the driver as a child process: no shell, a timeout, standard output and error
/// captured to files in the work directory (so a chatty exporter cannot block on a full pipe).
struct DriverProcess {
    struct Finished {
        var status: Int32
        /// The driver was ended by a signal (then `status` is its number).
        var signaled = false
        var seconds: Double
        var standardOutput: String
        var standardError: String
        /// The last phase the driver reported.
        var lastPhase: DriverPhase?
    }

    var interpreter: String
    var timeoutSeconds: Double

    /// The interpreter as the recipe names it: a path (relative to the recipe's directory) or a command on PATH.
    static func locate(_ python: String?, recipe: Recipe) throws(ExportError) -> String {
        let name = python ?? "python3"
        if name.contains("/") {
            let path = recipe.resolve(name)
            guard FileManager.default.isExecutableFile(atPath: path) else { throw .interpreterNotFound(path) }
            return path
        }
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in directories {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw .interpreterNotFound(name)
    }

    /// Runs the driver; `events` is the file it appends its phase events to, passed on to `onPhase` as they come.
    func run(_ arguments: [String], workDirectory: URL, label: String, events: String,
             onPhase: ((DriverPhase) -> Void)? = nil) throws(ExportError) -> Finished {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = arguments
        process.currentDirectoryURL = workDirectory
        var environment = ProcessInfo.processInfo.environment
        // No bytecode files in the user's source tree; hash seeds fixed for repeatable runs; CPU only.
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        environment["PYTHONHASHSEED"] = "0"
        environment["CUDA_VISIBLE_DEVICES"] = ""
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        let out = workDirectory.appendingPathComponent("\(label).stdout"), err = workDirectory.appendingPathComponent("\(label).stderr")
        guard FileManager.default.createFile(atPath: out.path, contents: nil), FileManager.default.createFile(atPath: err.path, contents: nil),
              let outHandle = try? FileHandle(forWritingTo: out), let errHandle = try? FileHandle(forWritingTo: err) else {
            throw .cannotWrite(workDirectory.path, "cannot create the driver's output files")
        }
        defer { try? outHandle.close(); try? errHandle.close() }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let start = ContinuousClock.now
        do { try process.run() } catch { throw .interpreterNotFound("\(interpreter) (\(error.localizedDescription))") }
        var reader = DriverEvents(path: events)
        let deadline = DispatchTime.now() + timeoutSeconds
        var timedOut = false
        // The events are read a few times a second while waiting: enough for a display of phases.
        while done.wait(timeout: min(deadline, .now() + 0.2)) == .timedOut {
            reader.poll().forEach { onPhase?($0) }
            if DispatchTime.now() >= deadline {
                timedOut = true
                break
            }
        }
        if timedOut {
            process.terminate()
            if done.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                done.wait()
            }
        }
        let seconds = (ContinuousClock.now - start).seconds
        reader.poll().forEach { onPhase?($0) }
        let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        if timedOut { throw .timedOut(seconds: timeoutSeconds, mode: label, standardError: read(err)) }
        return Finished(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal, seconds: seconds,
                        standardOutput: read(out), standardError: read(err), lastPhase: reader.last)
    }
}
