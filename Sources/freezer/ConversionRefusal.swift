import FreezerConvert
import FreezerLog

/// `convert --json` when nothing was written: the exit code, the message that standard error shows, and
/// for a frozen model that is not equivalent, the check as the log would have recorded it.
struct ConversionRefusal: Encodable {
    var refused = true
    var exitCode: Int32
    var error: String
    var equivalence: EquivalenceResult?
    /// `--keep-failed`: where the frozen model that failed the check was kept.
    var keptFailedModel: String?

    init(_ error: any Error) {
        exitCode = ExitStatus.code(for: error)
        self.error = String(describing: error)
        if case let ConversionError.equivalenceFailed(report, keptAt) = error {
            equivalence = EquivalenceRecord.make(report)
            keptFailedModel = keptAt
        }
    }
}
