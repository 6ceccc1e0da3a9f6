import FreezerLog
import FreezerTestSupport
import Testing
@testable import FreezerLogRender

/// A log made by `freezer export`: Table 1 shows the measured framework facts, and section 4.6 the
/// exporter call, the parameter check, the framework comparison, the recipe and `pip freeze`.
@Suite("Export in the document")
struct ExportSectionTests {
    func exportLog() -> ConversionLog {
        var log = SampleLog.make()
        log.modelConversion.loadingAndConverting.export = sampleExport()
        log.modelConversion.loadingAndConverting.frameworkAndVersion.evidence = "measured by freezer export's driver"
        return log
    }

    @Test func tableOneShowsTheMeasuredFacts() throws {
        let document = LogDocument.build(exportLog())
        let value = { (label: String) in DocumentContentTests.tableOneValue(document, label) ?? "" }
        #expect(value("Verified Learning Model").hasPrefix("Checkpoint: c.pt, ") && value("Verified Learning Model").contains("SHA-256 aaaa"))
        #expect(value("Framework and version").contains("Source: measured by freezer export's driver"))
        #expect(value("Packages and version").contains("  torch 2.13.0"))
        #expect(value("Converter/model conversion script").hasPrefix("Exporter call: torch.onnx.export(...)"))
        #expect(value("Environment information").contains("Python (training environment): CPython 3.11.7"))
        #expect(value("Equivalence Verification").contains("Framework vs frozen: equivalent on 1 sample"))
    }

    @Test func sectionFourSixInEveryFormat() {
        for format in [RenderFormat.markdown, .html, .pdf] {
            let text = renderedText(exportLog(), format)
            for phrase in ["4.6 Export from the Framework", "opset_version = 17", "bn.running_mean", "ACCEPTED by the recipe",
                           "torch==2.13.0", "framework: pytorch"] {
                #expect(text.contains(phrase), "\(format) lacks '\(phrase)'")
            }
        }
        #expect(!renderedText(SampleLog.make(), .markdown).contains("4.6 Export"))
    }

    /// Keras's weights are found by value: the document says where each was found and names those it was not.
    @Test func kerasWeightsFoundByValue() {
        var log = exportLog()
        log.modelConversion.loadingAndConverting.export?.parameterCheck.matches = [
            ParameterMatch(tensor: "conv/kernel", initializer: "conv/ReadVariableOp:0", transform: "transposed [3, 2, 0, 1]"),
        ]
        let text = renderedText(log, .markdown)
        #expect(text.contains("1 weight of the model found among the exported initializers with exactly their values, up to a transpose and a reshape"))
        #expect(text.contains("Not found as they are (folded or rewritten by the exporter; the framework check below covers them): y."))
        #expect(text.contains("Weights found in the exported model") && text.contains("| conv/kernel | conv/ReadVariableOp:0 | transposed "))
        #expect(!text.contains("compared with the checkpoint; "))
    }
}
