import Foundation
import FreezerConvert
import FreezerVerify

/// The text of the progress line: phase, done of total with units, rate, and time left, as in
/// `save frozen.onnx: 812 MB of 1.20 GB (68%), 410 MB/s, 1 s left`.
enum ProgressFormat {
    /// Rate and time left need this much of a phase behind them; earlier they are mostly noise.
    static let settlingSeconds = 2.0

    /// The line for `event`, `elapsed` seconds after its phase was first shown (at fraction `baseline`:
    /// a phase can come into view half done), at most `width` characters: the phase loses its file name
    /// or stage name before the numbers lose anything.
    static func line(_ event: ProgressEvent, elapsed: Double, baseline: Double = 0, width: Int = .max) -> String {
        let details = self.details(event, elapsed: elapsed, baseline: baseline)
        let name = phase(event.phase)
        let lines = [name.long, name.short].map { "freezer: " + $0 + (details.isEmpty ? "" : ": " + details) }
        return fit(lines.first { $0.count <= width } ?? lines[1], width: width)
    }

    /// `812 MB of 1.20 GB (68%), 410 MB/s, 1 s left`, or the elapsed time where nothing is counted.
    static func details(_ event: ProgressEvent, elapsed: Double, baseline: Double = 0) -> String {
        var parts: [String] = []
        if let count = event.count { parts.append(describe(count)) }
        if let count = event.count, let fraction = event.fraction, elapsed >= settlingSeconds, fraction > baseline {
            let perSecond = (fraction - baseline) / elapsed
            parts.append(rate(perSecond * Double(count.total ?? 0), unit: count.unit))
            if fraction < 1 { parts.append("\(duration((1 - fraction) / perSecond, roundingUp: true)) left") }
        } else if elapsed >= settlingSeconds {
            parts.append(duration(elapsed))
        }
        return parts.joined(separator: ", ")
    }

    /// `verify 1/3, exact reference (original, float64)`, and without the name where room is short.
    static func phase(_ phase: ProgressEvent.Phase) -> (long: String, short: String) {
        switch phase {
        case .load(let path): return ("load \(fileName(path))", "load")
        case .digest(let path): return ("digest \(fileName(path))", "digest")
        case .passes: return ("passes", "passes")
        case .verification(let stage, let samples):
            let stages = EquivalenceChecker.Stage.allCases
            let short = "verify \((stages.firstIndex(of: stage) ?? 0) + 1)/\(stages.count)"
            return ("\(short), \(stage.rawValue), \(samples) sample\(samples == 1 ? "" : "s")", short)
        case .save(let path): return ("save \(fileName(path))", "save")
        case let .external(program, step): return ("\(program), \(step)", program)
        }
    }

    /// `812 MB of 1.20 GB (68%)`; `node 57/212` while node 57 runs.
    static func describe(_ count: ProgressEvent.Count) -> String {
        switch count.unit {
        case .bytes:
            guard let total = count.total else { return bytes(count.done) }
            let percent = total > 0 ? " (\(count.done * 100 / total)%)" : ""
            return "\(bytes(count.done)) of \(bytes(total))\(percent)"
        case .nodes:
            guard let total = count.total else { return "\(count.done) nodes" }
            return count.done >= total ? "\(total)/\(total) nodes" : "node \(count.done + 1)/\(total)"
        }
    }

    /// Decimal units, three significant digits: `512 B`, `4.10 kB`, `812 MB`, `1.21 GB`.
    static func bytes(_ n: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(n)
        var k = 0
        while value >= 999.5, k < units.count - 1 {
            value /= 1000
            k += 1
        }
        return k == 0 ? "\(n) B" : "\(significant(value)) \(units[k])"
    }

    /// `410 MB/s`, `2.10 nodes/s`, or `12 s/node` when a node takes more than a second.
    static func rate(_ perSecond: Double, unit: ProgressEvent.Unit) -> String {
        switch unit {
        case .bytes: return "\(bytes(Int(perSecond.rounded())))/s"
        case .nodes: return perSecond >= 1 ? "\(significant(perSecond)) nodes/s" : "\(duration(1 / perSecond))/node"
        }
    }

    /// `42 s`, `3 min 05 s`, `1 h 02 min`.
    static func duration(_ seconds: Double, roundingUp: Bool = false) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(roundingUp ? seconds.rounded(.up) : seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(twoDigits(s % 60)) s" }
        return "\(s / 3600) h \(twoDigits(s / 60 % 60)) min"
    }

    /// Cuts text to `width` characters, so a terminal never wraps the line (a wrapped line cannot be
    /// redrawn in place).
    static func fit(_ line: String, width: Int) -> String {
        guard line.count > width else { return line }
        return String(line.prefix(max(0, width - 1))) + "…"
    }

    private static func significant(_ value: Double) -> String {
        String(format: value < 9.995 ? "%.2f" : value < 99.95 ? "%.1f" : "%.0f", value)
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
