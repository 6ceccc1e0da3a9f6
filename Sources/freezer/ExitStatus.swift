import ArgumentParser
import FreezerConvert
import FreezerExport
import FreezerFeeds
import FreezerIR
import FreezerIntegrity
import FreezerLog
import FreezerONNX
import FreezerQualification

/// The one place that turns an error into a message and an exit code (documented in `freezer --help`).
enum ExitStatus {
    /// `run --test-data`: at least one output is outside the tolerance.
    static let outsideTolerance: Int32 = 1
    /// `convert`: the model cannot be frozen safely.
    static let conversionImpossible: Int32 = 3
    /// `convert`, `compare`: the frozen model (B) does not compute what the original (A) computes.
    static let notEquivalent: Int32 = 4
    /// `run`, `compare`: the reference evaluator cannot run a model (unsupported operator or type, or a node failed).
    static let cannotEvaluate: Int32 = 5
    /// `verify`, `log`: a file, the log or a signature does not match (something changed after it was written).
    static let integrityFailure: Int32 = 6
    /// `log`: the review workflow refuses (approved log, self-approval, already signed).
    static let workflowRefused: Int32 = 7
    /// `qualify`: a qualification test failed or a requirement has no test.
    static let qualificationFailed: Int32 = 8
    static let usage: Int32 = 64
    static let invalidModel: Int32 = 65
    static let missingInput: Int32 = 66
    /// `export`: the interpreter or a package the driver needs is not installed.
    static let unavailable: Int32 = 69
    static let internalError: Int32 = 70
    static let cannotWrite: Int32 = 73
    /// `export`: the driver did not finish within the recipe's timeout.
    static let timedOut: Int32 = 75

    static func code(for error: Error) -> Int32 {
        switch error {
        case let e as ModelLoadError:
            switch e {
            case .notFound, .isDirectory, .notRegularFile, .unreadable: missingInput
            case .externalData(_, _, _, let problem):
                switch problem {
                // The data file itself cannot be had, as for the model file above.
                case .missingFile, .isDirectory, .notRegularFile, .unreadable: missingInput
                case .missingLocation, .badOffset, .badLength, .absoluteLocation, .climbsOut, .nulByte,
                     .outsideModelDirectory, .offsetPastEnd, .rangePastEnd: invalidModel
                }
            default: invalidModel
            }
        case is InvalidModelError: invalidModel
        case let e as CheckpointError:
            switch e {
            case .unreadable: missingInput
            case .malformed, .noModuleState, .nominal, .unsupportedTensor, .parameterMismatch: invalidModel
            }
        case let e as ConversionError:
            switch e {
            case .digestMismatch, .invalidModel: invalidModel
            case .impossible, .trainingConstructsRemain, .evaluation: conversionImpossible
            case .equivalenceFailed: notEquivalent
            case .outputPathIsInput, .cannotStoreFoldedTensor: cannotWrite
            case .badOption: usage
            case .invalidFrozenModel: internalError
            }
        case let e as ExportError:
            switch e {
            case .recipeMissing, .checkpointMissing: missingInput
            case .badRecipe, .factoryInvalid, .checkpointMismatch, .inputRejected: invalidModel
            case .interpreterNotFound, .interpreterFailed, .packageMissing: unavailable
            case .exporterFailed, .parameterDifferences: conversionImpossible
            case .frameworkNotEquivalent: notEquivalent
            case .timedOut: timedOut
            // The model's code failing while the exporter traces it is a model that cannot be exported in
            // that mode (as the exporter failing is); anywhere else, the model given is not usable.
            case .modelCodeFailed(let failure): failure.phase == .export ? conversionImpossible : invalidModel
            // Stopped without a result: as an exception in the same step would be (importing the
            // framework: the environment's installation).
            case .driverStopped(let phase, _, _, _):
                switch phase {
                case .environment, .framework: unavailable
                case .export: conversionImpossible
                case .factory, .checkpoint, .inference, .parameters: invalidModel
                }
            case .driverFailed: internalError
            case .cannotWrite: cannotWrite
            }
        case let e as ComparisonError:
            switch e {
            case .signatureMismatch: invalidModel
            case .cannotEvaluate: cannotEvaluate
            }
        case let e as RunError: e.exitCode
        case let e as FeedError:
            switch e {
            case .file(let inner): code(for: inner)
            case .notADirectory, .noData: missingInput
            case .unusableValues, .inputMismatch, .unknownName, .parameter, .beyondLastPosition, .boundTwice,
                 .missingInputs, .sharedFileName: invalidModel
            }
        case let e as LogRenderError: e.exitCode
        case let e as TensorFileError:
            switch e {
            case .notFound, .isDirectory, .unreadable: missingInput
            case .cannotStore, .missingDirectory, .cannotWrite: cannotWrite
            default: invalidModel
            }
        case is ModelSaveError: cannotWrite
        case let e as IntegrityFailure: e.report.integrityHolds ? notEquivalent : integrityFailure
        case let e as LogFileError:
            switch e {
            case .notFound, .unreadable: missingInput
            case .invalid: invalidModel
            case .missingRecordDigest, .recordDigestMismatch, .invalidSignature: integrityFailure
            case .cannotWrite: cannotWrite
            }
        case let e as KeyFileError:
            switch e {
            case .notFound, .unreadable: missingInput
            case .notAKey: invalidModel
            case .exists, .cannotWrite: cannotWrite
            }
        case is WorkflowError, is SigningError: workflowRefused
        case is VerifyInputError: missingInput
        case is QualificationFailure: qualificationFailed
        case is ReportIntegrityFailure: integrityFailure
        case let e as QualificationReportError:
            switch e {
            case .notFound, .unreadable: missingInput
            case .invalid: invalidModel
            }
        default: internalError
        }
    }
}

/// A model that loaded but fails structural validation.
struct InvalidModelError: Error, CustomStringConvertible {
    var path: String
    var issues: [ValidationIssue]
    var description: String {
        let shown = issues.prefix(10).map { "  - \($0.description)" }.joined(separator: "\n")
        let more = issues.count > 10 ? "\n  ... and \(issues.count - 10) more" : ""
        return "'\(path)' is not a valid ONNX model (\(issues.count) problem\(issues.count == 1 ? "" : "s")):\n\(shown)\(more)\nFix the exporter or the model; freezer does not convert or inspect broken graphs."
    }
}

/// Runs a command body; prints any error once, as `freezer: error: ...`, and exits with its code.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        let message = String(describing: error)
        printToStandardError("freezer: error: \(message)")
        throw ExitCode(ExitStatus.code(for: error))
    }
}
