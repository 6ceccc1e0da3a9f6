import Dispatch
import Foundation
import FreezerTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `freezer` with stderr on a pseudo-terminal (openpty), as from an interactive shell,
/// and returns every byte it wrote to the terminal.
enum PseudoTerminal {
    struct Result {
        var status: Int32
        /// What the terminal received, escape sequences and carriage returns included.
        var terminal: String
        /// stdout when it is a pipe; empty when it shares the terminal.
        var stdout: String
    }

    static func run(_ arguments: [String], columns: UInt16 = 100, stdoutOnTerminal: Bool = false,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.executable),
                     "freezer executable not found at \(CLI.executable); build with `swift build --build-tests`", sourceLocation: sourceLocation)
        var master: Int32 = -1
        var slave: Int32 = -1
        var size = winsize(ws_row: 24, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        try #require(openpty(&master, &slave, nil, nil, &size) == 0, "openpty: \(String(cString: strerror(errno)))",
                     sourceLocation: sourceLocation)
        // Not inherited by processes other tests start meanwhile: the master must see end of file
        // once this child exits.
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        defer { close(master) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.root
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        let out = Pipe()
        process.standardError = terminal
        process.standardOutput = stdoutOnTerminal ? terminal : out
        do {
            try process.run()
        } catch {
            close(slave)
            throw error
        }
        // The child holds its own copies; once they close, reading the master fails with EIO.
        close(slave)
        // stdout is read meanwhile, so neither stream can fill up and stop the child.
        nonisolated(unsafe) var stdout = Data()
        let stdoutRead = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            stdout = out.fileHandleForReading.readDataToEndOfFile()
            stdoutRead.signal()
        }
        if stdoutOnTerminal { try out.fileHandleForWriting.close() }

        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n > 0 { received += buffer[..<n]; continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        process.waitUntilExit()
        stdoutRead.wait()
        return Result(status: process.terminationStatus, terminal: String(decoding: received, as: UTF8.self),
                      stdout: String(decoding: stdout, as: UTF8.self))
    }
}
