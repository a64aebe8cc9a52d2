import Foundation
import HarnessCore
import TestSupport
import XCTest

/// The `.npy` exchange format of `perf --peers`: known-answer bytes, round trips, errors, and
/// numpy reading what ClaimBench writes (when a python3 with numpy is on PATH).
final class NumPyArrayTests: XCTestCase {
    func testHeaderIsNumPysVersionOneLayoutPaddedTo64Bytes() {
        let data = NumPyArray(shape: [2, 3], float64: [1, 2, 3, 4, 5, 6]).encoded()
        XCTAssertEqual(Array(data.prefix(8)), [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0])
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        XCTAssertEqual((10 + headerLength) % 64, 0)
        let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"), header)
        XCTAssertTrue(header.hasSuffix(" \n"), header)
        XCTAssertEqual(data.count, 10 + headerLength + 48)
        // 1.0 as little-endian IEEE 754 binary64: 00 00 00 00 00 00 f0 3f, in row-major order.
        XCTAssertEqual(Array(data[(10 + headerLength)..<(10 + headerLength + 8)]), [0, 0, 0, 0, 0, 0, 0xf0, 0x3f])
    }

    func testOneDimensionalAndScalarShapesUsePythonTupleSyntax() {
        let vector = String(decoding: NumPyArray(shape: [3], float32: [1, 2, 3]).encoded()[10..<74], as: UTF8.self)
        XCTAssertTrue(vector.contains("'descr': '<f4'") && vector.contains("'shape': (3,)"), vector)
        let scalar = String(decoding: NumPyArray(scalar: 2.5).encoded()[10..<74], as: UTF8.self)
        XCTAssertTrue(scalar.contains("'shape': ()"), scalar)
    }

    func testRoundTripKeepsEveryBit() throws {
        let doubles: [Double] = [0, -0.0, Double.leastNormalMagnitude / 1024, .greatestFiniteMagnitude, -.infinity, .pi, 1 / 3]
        let a = NumPyArray(shape: [7, 1], float64: doubles)
        let back = try NumPyArray.decode(a.encoded(), path: "a.npy")
        XCTAssertEqual(back.shape, [7, 1])
        guard case .float64(let values) = back.elements else { return XCTFail("element type changed") }
        XCTAssertEqual(values.map(\.bitPattern), doubles.map(\.bitPattern))
        let floats: [Float] = [0.1, -2, .leastNonzeroMagnitude, 3e38, 7, 8]
        let f = try NumPyArray.decode(NumPyArray(shape: [1, 2, 3], float32: floats).encoded(), path: "f.npy")
        XCTAssertEqual(f, NumPyArray(shape: [1, 2, 3], float32: floats))
        XCTAssertEqual(try NumPyArray.decode(NumPyArray(scalar: -4).encoded(), path: "s.npy").doubles, [-4])
        let empty = try NumPyArray.decode(NumPyArray(shape: [0, 5], float64: []).encoded(), path: "e.npy")
        XCTAssertEqual(empty.shape, [0, 5])
    }

    func testBadFilesNameTheFileAndTheProblem() {
        func problem(_ bytes: Data) -> String {
            do {
                _ = try NumPyArray.decode(bytes, path: "x.npy")
                return "decoded"
            } catch { return "\(error)" }
        }
        XCTAssertTrue(problem(Data("PK\u{3}\u{4}not npy".utf8)).hasPrefix("x.npy: not a .npy file"))
        let good = NumPyArray(shape: [2], float64: [1, 2]).encoded()
        XCTAssertTrue(problem(good.dropLast(1)).contains("expected 16 data bytes"), problem(good.dropLast(1)))
        var patched = good
        let range = patched.range(of: Data("False".utf8))!
        patched.replaceSubrange(range, with: Data("True ".utf8))
        XCTAssertTrue(problem(patched).contains("Fortran-ordered"), problem(patched))
        var integers = good
        integers.replaceSubrange(integers.range(of: Data("<f8".utf8))!, with: Data("<i8".utf8))
        XCTAssertTrue(problem(integers).contains("'<i8' is not read"), problem(integers))
    }

    /// numpy reads what we write and we read what numpy writes (skipped without python3 + numpy).
    func testNumPyReadsOurFilesAndWritesOnesWeRead() throws {
        let scratch = TemporaryDirectory()
        let ours = scratch.url.appendingPathComponent("ours.npy")
        try NumPyArray(shape: [2, 3], float64: [1, 2, 3, 4, 5, 6.5]).write(to: ours)
        let theirs = scratch.url.appendingPathComponent("theirs.npy")
        let script = """
            import sys, numpy as np
            a = np.load(sys.argv[1])
            assert a.dtype == np.float64 and a.shape == (2, 3) and a[1, 2] == 6.5 and a[0, 1] == 2, (a.dtype, a)
            np.save(sys.argv[2], np.ascontiguousarray(a.T * 2, dtype=np.float32))
            """
        guard Self.python(["-c", "import numpy"]) == 0 else { throw XCTSkip("python3 with numpy not available") }
        XCTAssertEqual(Self.python(["-c", script, ours.path, theirs.path]), 0, "numpy could not read our file as written")
        let back = try NumPyArray.read(theirs)
        XCTAssertEqual(back, NumPyArray(shape: [3, 2], float32: [2, 8, 4, 10, 6, 13]))
    }

    /// Exit status of python3 with `arguments` (127 when there is none).
    static func python(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return 127 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
