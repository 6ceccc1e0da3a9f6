import Foundation
import FreezerTestSupport
import OnnxProto
import SwiftProtobuf
import Testing
@testable import FreezerIR
@testable import FreezerONNX

/// Fixture files: Tests/Fixtures/npy and Tests/Fixtures/run_cli, written by numpy.save and
/// onnx.numpy_helper in scripts/make_run_fixtures.py.
@Suite("NumPy .npy files")
struct NumpyFileTests {
    static let unsigned: [Double] = [0, 1, 2, 3, 4, 5]
    static let signed: [Double] = [0, -1, 2, -3, 4, -5]

    static let cases: [(file: String, type: ElementType)] = [
        ("f2_le", .float16), ("f2_be", .float16), ("f4_le", .float), ("f4_be", .float), ("f8_le", .double), ("f8_be", .double),
        ("i1_le", .int8), ("i2_le", .int16), ("i2_be", .int16), ("i4_le", .int32), ("i4_be", .int32), ("i8_le", .int64), ("i8_be", .int64),
        ("u1_le", .uint8), ("u2_le", .uint16), ("u2_be", .uint16), ("u4_le", .uint32), ("u4_be", .uint32), ("u8_le", .uint64), ("u8_be", .uint64),
        ("b1_le", .bool), ("f4_v2", .float), ("f4_v3", .float),
    ]

    @Test(arguments: cases)
    func readsEveryDtypeAndByteOrder(file: String, type: ElementType) throws {
        let t = try NumpyFile.read(path: Fixtures.path("npy/\(file).npy"))
        #expect(t.elementType == type)
        #expect(t.dims == [2, 3])
        #expect(t.name == file)
        let expected = file.hasPrefix("u") || file.hasPrefix("b") ? Self.unsigned.map { file.hasPrefix("b") ? ($0 == 0 ? 0 : 1) : $0 } : Self.signed
        #expect(try t.doubles() == expected)
    }

    @Test func scalarsAndEmptyArrays() throws {
        let s = try NumpyFile.read(path: Fixtures.path("npy/scalar_f8.npy"))
        #expect(try s.dims == [] && s.elementType == .double && s.doubles() == [2.5])
        let e = try NumpyFile.read(path: Fixtures.path("npy/empty_f4.npy"))
        #expect(try e.dims == [0, 3] && e.doubles().isEmpty)
    }

    /// The writer produces exactly what numpy.save writes (version 1.0, 64-byte aligned header).
    @Test(arguments: ["f2_le", "f4_le", "f8_le", "i1_le", "i2_le", "i4_le", "i8_le", "u1_le", "u2_le", "u4_le", "u8_le", "b1_le", "scalar_f8", "empty_f4"])
    func writesWhatNumpyWrites(file: String) throws {
        let original = Fixtures.path("npy/\(file).npy")
        let dir = Fixtures.temporaryDirectory()
        try NumpyFile.write(try NumpyFile.read(path: original), to: dir + "/out.npy")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/out.npy")) == Data(contentsOf: URL(fileURLWithPath: original)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.npy"], "no temporary files left")
    }

    @Test func bigEndianIsConvertedOnRead() throws {
        let be = try NumpyFile.read(path: Fixtures.path("npy/f4_be.npy"))
        let le = try NumpyFile.read(path: Fixtures.path("npy/f4_le.npy"))
        #expect(try be.rawBytes() == le.rawBytes())
    }

    @Test func refusesFortranOrderStructuredAndComplex() throws {
        let fortran = Fixtures.path("npy/fortran.npy")
        #expect(throws: TensorFileError.fortranOrder(path: fortran)) { try NumpyFile.read(path: fortran) }
        let structured = Fixtures.path("npy/structured.npy")
        #expect(throws: TensorFileError.unsupportedDtype(path: structured, descr: "a structured dtype")) { try NumpyFile.read(path: structured) }
        let complex = Fixtures.path("npy/complex.npy")
        #expect(throws: TensorFileError.unsupportedDtype(path: complex, descr: "<c8")) { try NumpyFile.read(path: complex) }
        let message = TensorFileError.fortranOrder(path: fortran).description
        #expect(message.contains("Fortran") && message.contains("ascontiguousarray"))
    }

    static func write(_ bytes: [UInt8]) throws -> String {
        let path = Fixtures.temporaryDirectory() + "/t.npy"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func header(_ dict: String, version: UInt8 = 1) -> [UInt8] {
        let text = Array((dict + "\n").utf8)
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text
    }

    @Test func malformedFilesNameTheProblem() throws {
        let magic = try Self.write(Array("PK\u{3}\u{4}not numpy".utf8))
        #expect(throws: TensorFileError.badMagic(path: magic)) { try NumpyFile.read(path: magic) }
        let short = try Self.write([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1])
        #expect(throws: TensorFileError.truncatedHeader(path: short, problem: "the file ends after 7 bytes, inside the version field")) { try NumpyFile.read(path: short) }
        let version = try Self.write([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 4, 0, 0, 0])
        #expect(throws: TensorFileError.unsupportedVersion(path: version, major: 4, minor: 0)) { try NumpyFile.read(path: version) }
        let cut = try Self.write(Array(Self.header("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }").prefix(30)))
        #expect(throws: TensorFileError.self) { try NumpyFile.read(path: cut) }
        let garbage = try Self.write(Self.header("{'descr': '<f4', 'fortran_order': maybe, 'shape': (2,), }"))
        let text = "\(try #require(throws: TensorFileError.self) { try NumpyFile.read(path: garbage) })"
        #expect(text.contains("malformed .npy header") && text.contains(garbage))
        let noShape = try Self.write(Self.header("{'descr': '<f4', 'fortran_order': False}"))
        #expect(throws: TensorFileError.badHeader(path: noShape, problem: "the key 'shape' is missing or not a tuple of integers")) { try NumpyFile.read(path: noShape) }
        let dtype = try Self.write(Self.header("{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }") + [0, 0, 0])
        #expect(throws: TensorFileError.unsupportedDtype(path: dtype, descr: "<U3")) { try NumpyFile.read(path: dtype) }
    }

    @Test func dataSizeMustMatchTheShape() throws {
        let head = Self.header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")
        let truncated = try Self.write(head + [UInt8](repeating: 0, count: 20))
        #expect(throws: TensorFileError.dataSizeMismatch(path: truncated, shape: [2, 3], descr: "<f4", expected: 24, actual: 20)) {
            try NumpyFile.read(path: truncated)
        }
        let extra = try Self.write(head + [UInt8](repeating: 0, count: 28))
        #expect(throws: TensorFileError.dataSizeMismatch(path: extra, shape: [2, 3], descr: "<f4", expected: 24, actual: 28)) {
            try NumpyFile.read(path: extra)
        }
        let message = TensorFileError.dataSizeMismatch(path: "a.npy", shape: [2, 3], descr: "<f4", expected: 24, actual: 20).description
        #expect(message == "'a.npy' declares shape (2, 3) of dtype '<f4', which takes 24 bytes, but the file holds 20 bytes of data after its header; it is truncated or corrupt.")
        let bools = try Self.write(Self.header("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }") + [1, 7])
        #expect(throws: TensorFileError.self) { try NumpyFile.read(path: bools) }
    }

    @Test func headerParserAcceptsPythonVariants() throws {
        let h = try NumpyFile.parseHeader("{\"descr\":\"<i8\",\"fortran_order\":False,\"shape\":(3L, 4L)}", path: "x")
        #expect(h.kind == "i8" && h.shape == [3, 4] && !h.bigEndian)
        let scalar = try NumpyFile.parseHeader("{'descr': '>f8', 'fortran_order': False, 'shape': (), }", path: "x")
        #expect(scalar.shape == [] && scalar.bigEndian)
    }

    @Test func missingEmptyAndDirectory() throws {
        #expect(throws: TensorFileError.notFound(path: "/nonexistent/x.npy")) { try NumpyFile.read(path: "/nonexistent/x.npy") }
        let empty = try Self.write([])
        #expect(throws: TensorFileError.empty(path: empty)) { try NumpyFile.read(path: empty) }
        let dir = Fixtures.temporaryDirectory()
        #expect(throws: TensorFileError.isDirectory(path: dir)) { try NumpyFile.read(path: dir) }
    }

    @Test func writeRefusesWhatNumpyCannotHoldAndMissingDirectories() throws {
        let bf16 = Tensor.make(name: "b", type: .bfloat16, dims: [1], values: [1])
        let dir = Fixtures.temporaryDirectory()
        #expect(throws: TensorFileError.self) { try NumpyFile.write(bf16, to: dir + "/b.npy") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        let f = Tensor.make(name: "f", type: .float, dims: [1], values: [1])
        #expect(throws: TensorFileError.missingDirectory(path: dir + "/sub/f.npy", directory: dir + "/sub")) {
            try NumpyFile.write(f, to: dir + "/sub/f.npy")
        }
    }
}

@Suite("TensorProto .pb files")
struct TensorFileTests {
    @Test func readsTestDataAndRoundTrips() throws {
        let path = Fixtures.path("run_cli/if_loop/test_data_set_0/input_0.pb")
        let t = try TensorFile.read(path: path)
        #expect(t.name == "x" && t.elementType == .float && t.dims == [2, 3])
        #expect(try t.doubles() == [-0.5, -0.25, 0, 0.25, 0.5, 0.75])
        let out = Fixtures.temporaryDirectory() + "/x.pb"
        try TensorFile.write(t, to: out)
        let back = try TensorFile.read(path: out)
        #expect(try back.name == t.name && back.dims == t.dims && back.rawBytes() == t.rawBytes())
    }

    /// Every test tensor of the fixtures decodes and has consistent sizes (typed fields included).
    @Test func readsEveryFixtureTestTensor() throws {
        let root = Fixtures.directory.path
        let files = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }
            .filter { $0.contains("test_data_set_") && $0.hasSuffix(".pb") && !$0.hasPrefix("bad/") }
        #expect(files.count > 20)
        for file in files {
            let t = try TensorFile.read(path: root + "/" + file)
            #expect(t.elementType.isKnown, "\(file)")
        }
    }

    @Test func stringTensorsRoundTrip() throws {
        var fields = TypedFields()
        fields.stringData = [Array("a".utf8), Array("bé".utf8)]
        let t = Tensor(name: "s", elementType: .string, dims: [2], payload: .fields(fields))
        let path = Fixtures.temporaryDirectory() + "/s.pb"
        try TensorFile.write(t, to: path)
        #expect(try TensorFile.read(path: path).payload == .fields(fields))
    }

    static func write(_ bytes: [UInt8]) throws -> String {
        let path = Fixtures.temporaryDirectory() + "/t.pb"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func refusesOtherMessagesAndBrokenTensors() throws {
        let model = Fixtures.model("torch_cnn_eval")
        let modelError = "\(try #require(throws: TensorFileError.self) { try TensorFile.read(path: model) })"
        #expect(modelError.contains("ModelProto"))

        var sequence = Onnx_SequenceProto()
        sequence.name = "seq"
        sequence.elemType = 1
        var element = Onnx_TensorProto()
        element.dataType = 1; element.dims = [1]; element.floatData = [1]
        sequence.tensorValues = [element]
        let seqPath = try Self.write(try sequence.serializedBytes())
        #expect("\(try #require(throws: TensorFileError.self) { try TensorFile.read(path: seqPath) })".contains("SequenceProto"))

        var external = Onnx_TensorProto()
        external.name = "w"; external.dataType = 1; external.dims = [4]; external.dataLocation = .external
        var location = Onnx_StringStringEntryProto(); location.key = "location"; location.value = "w.bin"
        external.externalData = [location]
        let extPath = try Self.write(try external.serializedBytes())
        #expect(throws: TensorFileError.externalData(path: extPath, tensor: "w")) { try TensorFile.read(path: extPath) }

        var short = Onnx_TensorProto()
        short.name = "v"; short.dataType = 1; short.dims = [2, 2]; short.rawData = Data([0, 0, 0, 0])
        let shortPath = try Self.write(try short.serializedBytes())
        let shortError = "\(try #require(throws: TensorFileError.self) { try TensorFile.read(path: shortPath) })"
        #expect(shortError.contains("should hold 16 bytes in raw_data but holds 4"))

        var untyped = Onnx_TensorProto()
        untyped.dims = [2]
        let untypedPath = try Self.write(try untyped.serializedBytes())
        #expect("\(try #require(throws: TensorFileError.self) { try TensorFile.read(path: untypedPath) })".contains("without a data_type"))

        let garbage = try Self.write([0x0A, 0xFF, 0xFF, 0x01, 0x02])
        #expect("\(try #require(throws: TensorFileError.self) { try TensorFile.read(path: garbage) })".contains("not a valid tensor file"))

        let empty = try Self.write([])
        #expect(throws: TensorFileError.empty(path: empty)) { try TensorFile.read(path: empty) }
    }
}

@Suite("Test data sets")
struct TestDataSetTests {
    @Test func findsDataSetsInCaseAndSetDirectories() throws {
        let caseDir = Fixtures.path("run_cli/if_loop")
        #expect(TestDataSet.directories(in: caseDir) == [caseDir + "/test_data_set_0", caseDir + "/test_data_set_1"])
        #expect(TestDataSet.directories(in: caseDir + "/test_data_set_1") == [caseDir + "/test_data_set_1"])
        #expect(TestDataSet.directories(in: Fixtures.path("npy")).isEmpty)
        let set = try TestDataSet.load(directory: caseDir + "/test_data_set_1")
        #expect(set.inputs.map(\.name) == ["x", "flag", "count"])
        #expect(set.outputs.map(\.name) == ["y", "loop/final:0", "scan/out:0"])
        #expect(set.outputs[2].dims == [0, 2, 3])
    }

    @Test func numberingGapsAreErrors() throws {
        let dir = Fixtures.temporaryDirectory()
        try FileManager.default.copyItem(atPath: Fixtures.path("run_cli/if_loop/test_data_set_0/input_0.pb"), toPath: dir + "/input_0.pb")
        try FileManager.default.copyItem(atPath: Fixtures.path("run_cli/if_loop/test_data_set_0/input_2.pb"), toPath: dir + "/input_2.pb")
        let text = "\(try #require(throws: TensorFileError.self) { try TestDataSet.load(directory: dir) })"
        #expect(text.contains("input_1.pb") && text.contains("numbered from 0 without gaps"))
    }
}
