import Foundation

/// The driver's phase events, one JSON object a line (`{"phase": "checkpoint"}`) appended to a file in
/// the work directory and read while the driver runs, for the progress display and for naming the step a
/// driver died in. Not evidence: the log keeps the driver's standard output and error, which the events
/// never touch.
struct DriverEvents {
    let path: String
    private var offset: UInt64 = 0
    private var pending = Data()
    /// The last phase the driver entered.
    private(set) var last: DriverPhase?

    init(path: String) { self.path = path }

    /// The phases of the lines the driver completed since the last call.
    mutating func poll() -> [DriverPhase] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.readToEnd(), !data.isEmpty else { return [] }
        offset += UInt64(data.count)
        return consume(data)
    }

    /// The phases of the lines `data` completes; a line still being written waits for its end, and a line
    /// that is not an event of a known phase is skipped (progress is shown, never trusted).
    mutating func consume(_ data: Data) -> [DriverPhase] {
        pending.append(data)
        var phases: [DriverPhase] = []
        while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending[pending.startIndex..<end]
            pending = Data(pending[pending.index(after: end)...])
            if let event = try? JSONDecoder().decode(Event.self, from: line), let phase = DriverPhase(rawValue: event.phase) {
                phases.append(phase)
                last = phase
            }
        }
        return phases
    }

    private struct Event: Decodable {
        var phase: String
    }
}
