import Foundation
import FreezerConvert
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The progress of a long command on stderr. On a terminal: one line, redrawn in place at most ten
/// times a second and erased by `finish()`, so the summary or an error message starts on a clean line.
/// Elsewhere (with `--progress`): plain lines, one at each phase change and at most one every five
/// seconds otherwise, and every 30 seconds while a step reports nothing, which tells a CI log the job
/// is alive. stdout is never written.
final class ProgressDisplay: Sendable {
    enum Mode: Sendable {
        case terminal, lines
    }

    private struct State {
        var throttle: ProgressThrottle
        /// Whether a terminal line is on screen, to be erased before anything else is written.
        var lineShown = false
        var finished = false
    }

    private let mode: Mode
    private let state: Mutex<State>

    /// A display for stderr: on a terminal always, elsewhere only when `requested`; nil when off.
    static func standardError(requested: Bool) -> ProgressDisplay? {
        if standardErrorIsTerminal { return ProgressDisplay(mode: .terminal) }
        return requested ? ProgressDisplay(mode: .lines) : nil
    }

    init(mode: Mode) {
        self.mode = mode
        let throttle = mode == .terminal ? ProgressThrottle(interval: .milliseconds(100), idleInterval: .milliseconds(500))
                                         : ProgressThrottle(interval: .seconds(5), idleInterval: .seconds(30))
        state = Mutex(State(throttle: throttle))
        // Redraws while a long step reports nothing (loading, the passes), so elapsed time keeps moving.
        Thread.detachNewThread { [self] in
            while !state.withLock({ $0.finished }) {
                usleep(250_000)
                state.withLock { s in
                    if !s.finished, s.throttle.tick(at: .now) { draw(&s) }
                }
            }
        }
    }

    /// The library's progress callback: cheap when throttled (a lock and a clock read).
    var report: Conversion.Progress {
        { [self] event in
            state.withLock { s in
                if !s.finished, s.throttle.receive(event, at: .now) { draw(&s) }
            }
        }
    }

    /// Erases the line (on a terminal) and stops drawing; call before any other output.
    func finish() {
        state.withLock { s in
            if s.lineShown { Self.write("\r\u{1B}[K") }
            s.lineShown = false
            s.finished = true
        }
    }

    private func draw(_ s: inout State) {
        guard let event = s.throttle.latest else { return }
        let elapsed = s.throttle.elapsed(at: .now)
        switch mode {
        case .terminal:
            // One column short of the width: a character in the last column makes some terminals wrap.
            Self.write("\r" + ProgressFormat.line(event, elapsed: elapsed, baseline: s.throttle.baseline, width: Self.terminalWidth() - 1) + "\u{1B}[K")
            s.lineShown = true
        case .lines:
            Self.write(ProgressFormat.line(event, elapsed: elapsed, baseline: s.throttle.baseline) + "\n")
        }
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Straight to the descriptor: stderr is unbuffered, and a failed write of progress is not an error.
    private static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }
}
