import Foundation
import Testing
@testable import FreezerLogRender

@Suite("Escaping and transliteration")
struct EscapingTests {
    static let hostile = "<script>alert(1)</script> | O'Brien & \"Doe\" \\ (x)"

    @Test func htmlEscapesMarkupEverywhere() {
        let html = String(decoding: LogRenderer.render(SampleLog.make(responsible: Self.hostile), as: .html), as: UTF8.self)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; | O&#39;Brien &amp; &quot;Doe&quot;"))
        #expect(html.contains("Created by freezer convert<br>\nsecond line"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<link") && !html.contains("src="), "self-contained")
    }

    @Test func markdownEscapesPipesMarkupAndNewlines() throws {
        let md = String(decoding: LogRenderer.render(SampleLog.make(responsible: Self.hostile), as: .markdown), as: UTF8.self)
        #expect(!md.contains("<script>"))
        let row = try #require(md.split(separator: "\n").first { $0.hasPrefix("| Responsible |") })
        #expect(row.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\| O'Brien &amp; \"Doe\" \\\\ (x)"))
        // Exactly three unescaped pipes: the row keeps its two cells.
        let chars = Array(row)
        let pipes = chars.indices.filter { chars[$0] == "|" && ($0 == 0 || chars[$0 - 1] != "\\") }
        #expect(pipes.count == 3)
        #expect(md.contains("| Created by freezer convert<br>second line |"))
    }

    @Test func pdfStringsAreEscapedAndTheFileStaysValid() throws {
        let bytes = LogRenderer.render(SampleLog.make(responsible: Self.hostile), as: .pdf)
        try PDFStructureTests.checkXref(bytes)
        let text = PDFText(bytes).joinedText
        #expect(text.contains("<script>alert(1)</script> | O'Brien & \"Doe\" \\ (x)"))
        let content = PDFText(bytes).pages.joined()
        #expect(content.contains("alert\\(1\\)"))
    }

    @Test func winAnsiTransliteratesWhatItLacks() {
        #expect(WinAnsi.encode("a → b ≤ c ≥ d √n ε − x") == Array("a -> b <= c >= d sqrtn eps - x".utf8))
        #expect(WinAnsi.encode("3 × 4 · é ü") == [0x33, 0x20, 0xD7, 0x20, 0x34, 0x20, 0xB7, 0x20, 0xE9, 0x20, 0xFC])
        #expect(WinAnsi.encode("– — … •") == [0x96, 0x20, 0x97, 0x20, 0x85, 0x20, 0x95])
        #expect(WinAnsi.encode("漢") == Array("?".utf8))
        #expect(WinAnsi.literal([0x28, 0x29, 0x5C, 0xE9]) == "\\(\\)\\\\\\351")
    }

    @Test func longTokensAreBrokenToFit() {
        let sha = SampleLog.sha
        let lines = TextWrapper.wrap("SHA-256: \(sha)", font: .helvetica, size: 8, width: 100)
        #expect(lines.count > 2)
        for line in lines { #expect(StandardFont.helvetica.width(line.bytes, size: 8) <= 100) }
        #expect(lines.flatMap(\.bytes).filter { $0 != 0x20 } == Array("SHA-256:\(sha)".utf8))
        let path = TextWrapper.wrap("/data/models/very/long/directory/name/model.onnx", font: .helvetica, size: 8, width: 60)
        #expect(path.dropLast().allSatisfy { $0.bytes.last == UInt8(ascii: "/") }, "paths break after a slash")
    }

    @Test func helveticaWidthsAreTheAFMValues() {
        #expect(StandardFont.helvetica.units(UInt8(ascii: " ")) == 278)
        #expect(StandardFont.helvetica.units(UInt8(ascii: "A")) == 667)
        #expect(StandardFont.helvetica.units(UInt8(ascii: "@")) == 1015)
        #expect(StandardFont.helvetica.units(UInt8(ascii: "i")) == 222)
        #expect(StandardFont.helveticaBold.units(UInt8(ascii: "A")) == 722)
        #expect(StandardFont.helveticaBold.units(0xD7) == 584)
        #expect(StandardFont.courier.units(UInt8(ascii: "W")) == 600)
    }
}
