import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func printToStandardError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Whether stderr is a terminal, to decide on progress display.
var standardErrorIsTerminal: Bool { isatty(2) == 1 }
