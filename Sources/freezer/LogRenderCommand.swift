import ArgumentParser
import Foundation
import FreezerLog
import FreezerLogRender
import FreezerONNX

/// `freezer log render`: the log as document PhIMT0002 in Markdown, HTML or PDF.
struct LogRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a Model Conversion Log as document PhIMT0002 (Markdown, HTML or PDF).",
        discussion: """
            Writes the document in the structure of template PhIMT0002: review/modification history, \
            objective, scope, Table 1 (model conversion information) with every row filled from the log, \
            the details behind it (findings and changes per category, frozen model, equivalence results, \
            warnings, record digest and signatures), and the acronyms. Nothing is looked up: every fact \
            comes from the log. The same log always gives the same bytes.

            HTML is one self-contained file that prints on A4; PDF is written by freezer itself (standard \
            fonts; characters outside WinAnsi are transliterated, e.g. → as ->).

            Examples:
              freezer log render frozen.conversion-log.json --format pdf
              freezer log render frozen.conversion-log.json --format html -o review/log.html
              freezer log render frozen.conversion-log.json --format markdown -o - | less

            Exit codes: 0 written; 64 usage (e.g. -o - with pdf); 65 the file is not a conversion log this \
            freezer reads; 66 the log is missing or unreadable; 73 the output cannot be written (its \
            directory is missing, or it is the log itself). Nothing is written when rendering fails.
            """
    )

    @Argument(help: "The conversion log (JSON) written by `freezer convert`.")
    var log: String

    @Option(help: "Output format: markdown, html or pdf.")
    var format: RenderFormat

    @Option(name: .shortAndLong,
            help: "Output file (default: LOG with its extension replaced by .md, .html or .pdf). '-' writes Markdown or HTML to standard output.")
    var output: String?

    func run() throws {
        try runReportingErrors { try render() }
    }

    private func render() throws {
        if output == "-" && !format.isText { throw LogRenderError.binaryToStandardOutput }
        let target = output ?? Self.defaultOutput(log: log, format: format)
        if target != "-", let logPath = Paths.canonical(log), Paths.canonicalTarget(target) == logPath {
            throw LogRenderError.outputIsLog(target)
        }
        let conversionLog = try Self.read(log)
        let bytes = LogRenderer.render(conversionLog, as: format)
        if target == "-" {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        try FileWriter.write(bytes, to: target, protectedPaths: [log])
        print("Wrote \(target) (\(format.rawValue), \(bytes.count) bytes)")
    }

    /// `dir/frozen.conversion-log.json` → `dir/frozen.conversion-log.pdf`.
    static func defaultOutput(log: String, format: RenderFormat) -> String {
        let name = Paths.fileName(of: log)
        let stem = name.lastIndex(of: ".").map { $0 == name.startIndex ? name : String(name[..<$0]) } ?? name
        let directory = log.contains("/") ? Paths.directory(of: log) : nil
        let file = "\(stem).\(format.fileExtension)"
        return directory.map { $0 == "/" ? "/\(file)" : "\($0)/\(file)" } ?? file
    }

    static func read(_ path: String) throws -> ConversionLog {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw LogRenderError.logNotFound(path) }
        guard !isDirectory.boolValue else { throw LogRenderError.logUnreadable(path, "it is a directory") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw LogRenderError.logUnreadable(path, (error as NSError).localizedDescription)
        }
        do { return try ConversionLog.decode(data) } catch { throw LogRenderError.notALog(path, error) }
    }
}

extension RenderFormat: ExpressibleByArgument {}

/// Why `freezer log render` wrote nothing.
enum LogRenderError: Error, CustomStringConvertible {
    case logNotFound(String)
    case logUnreadable(String, String)
    case notALog(String, ConversionLog.ReadError)
    case outputIsLog(String)
    case binaryToStandardOutput

    var description: String {
        switch self {
        case let .logNotFound(path): "the log '\(path)' does not exist."
        case let .logUnreadable(path, why): "cannot read the log '\(path)': \(why)."
        case let .notALog(path, error): "'\(path)' cannot be rendered: \(error)."
        case let .outputIsLog(path): "refusing to write '\(path)': it is the log being rendered. Choose another output path (-o)."
        case .binaryToStandardOutput: "-o - writes to standard output, which is for Markdown and HTML only; give a file name for --format pdf."
        }
    }

    var exitCode: Int32 {
        switch self {
        case .logNotFound, .logUnreadable: ExitStatus.missingInput
        case .notALog: ExitStatus.invalidModel
        case .outputIsLog: ExitStatus.cannotWrite
        case .binaryToStandardOutput: ExitStatus.usage
        }
    }
}
