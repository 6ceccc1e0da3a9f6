import Glibc
import Testing
@testable import FreezerIR

@Suite("Background work")
struct BackgroundTests {
    func niceValue() -> Int32 {
        errno = 0
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
    }

    /// Yielding work runs on a thread of its own at a lower priority, and the caller's stays as it was.
    @Test func yieldingWorkRunsAtALowerPriorityOnItsOwnThread() throws {
        let caller = niceValue()
        let inside = try Background(priority: .yielding) { () throws(CancellationLike) -> Int32 in
            let here = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            return here
        }.value()
        #expect(inside == min(19, caller + BackgroundPriority.yieldingNiceIncrement))
        #expect(niceValue() == caller)
        #expect(try Background { () throws(CancellationLike) -> Int32 in 7 }.value() == 7)
    }

    @Test func yieldingWorkReportsItsError() {
        let work = Background(priority: .yielding) { () throws(CancellationLike) -> Int in throw CancellationLike() }
        #expect(throws: CancellationLike.self) { try work.value() }
    }
}

struct CancellationLike: Error {}
