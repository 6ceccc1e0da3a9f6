import FreezerConvert
import FreezerIR

/// Decides when the progress line is drawn: at once when the phase changes, otherwise at most once per
/// interval, however often events come, and once per idle interval when nothing new came (the elapsed
/// time still moves). Also keeps when the current phase began, for rate and time left.
struct ProgressThrottle {
    typealias Instant = ContinuousClock.Instant

    let interval: Duration
    let idleInterval: Duration
    private(set) var latest: ProgressEvent?
    private(set) var phaseStart: Instant?
    /// The fraction done when the phase was first seen (a phase reported from the middle on, such as
    /// digests waited for, has its rate measured from there).
    private(set) var baseline = 0.0
    private var lastDraw: Instant?

    init(interval: Duration, idleInterval: Duration) {
        self.interval = interval
        self.idleInterval = idleInterval
    }

    /// Records an event; true when it should be drawn now.
    mutating func receive(_ event: ProgressEvent, at now: Instant) -> Bool {
        let newPhase = latest?.phase != event.phase
        if newPhase {
            phaseStart = now
            baseline = event.fraction ?? 0
        }
        latest = event
        if newPhase { return drawn(at: now) }
        return due(interval, at: now)
    }

    /// True when the latest event should be drawn again: called periodically, so that elapsed time and
    /// time left move while a long step reports nothing.
    mutating func tick(at now: Instant) -> Bool {
        latest != nil && due(idleInterval, at: now)
    }

    /// Seconds since the current phase began.
    func elapsed(at now: Instant) -> Double {
        phaseStart.map { (now - $0).seconds } ?? 0
    }

    private mutating func due(_ interval: Duration, at now: Instant) -> Bool {
        if let lastDraw, now - lastDraw < interval { return false }
        return drawn(at: now)
    }

    private mutating func drawn(at now: Instant) -> Bool {
        lastDraw = now
        return true
    }
}
