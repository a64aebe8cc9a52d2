import Foundation
import LinearAlgebra
import XCTest

/// The C exponential on every ISA path this CPU runs against the Swift scalar reference
/// (`VectorExp.exp`), bit for bit, and the `CLAIMBENCH_ISA` parsing. The AVX-512 path is compiled
/// everywhere but exercised only on CPUs that have AVX-512 (`VectorISA.runnable`).
final class VectorISATests: XCTestCase {
    /// Edge cases and a dense sweep: −∞, the flush boundary and its neighbours, the overflow
    /// boundary ln(DBL_MAX) ≈ 709.782712893384 and its neighbours, 710, ±0, ±∞, NaN, tiny values.
    private static let inputs: [Double] = {
        let overflow = 709.782712893384
        var values: [Double] = [
            -.infinity, .infinity, .nan, -.nan, 0, -0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, 1e-300, -1e-17,
            VectorExp.flushBelow, VectorExp.flushBelow.nextUp, VectorExp.flushBelow.nextDown, -745.13321910194111,
            overflow, overflow.nextUp, overflow.nextDown, 709.78, 710, 710.0.nextUp, 710.0.nextDown, 1e300,
            -.greatestFiniteMagnitude, .greatestFiniteMagnitude, 1, -1, 0.5 * 0.6931471805599453, -0.5 * 0.6931471805599453,
        ]
        // [−800, 720] in 200,003 steps, nudged off the grid so reduced arguments cover [−ln2/2, ln2/2].
        let steps = 200_003
        for step in 0...steps {
            values.append(-800 + 1520 * (Double(step) + 0.6180339887498949 * Double(step % 7) / 7) / Double(steps))
        }
        return values
    }()

    private func exponentials(_ values: [Double], on isa: VectorISA) -> [Double] {
        var out = values
        VectorISA.withPath(isa) { out.withUnsafeMutableBufferPointer { VectorExp.apply($0.baseAddress!, count: $0.count) } }
        return out
    }

    func testEveryPathMatchesTheScalarReferenceBitForBit() {
        let expected = Self.inputs.map { VectorExp.exp($0).bitPattern }
        XCTAssertTrue(VectorISA.runnable.contains(.baseline))
        for isa in VectorISA.runnable {
            let got = exponentials(Self.inputs, on: isa).map(\.bitPattern)
            let mismatches = zip(got, expected).enumerated().filter { $0.element.0 != $0.element.1 }
            XCTAssertTrue(mismatches.isEmpty, "\(isa.rawValue): \(mismatches.count) mismatches, first at x = \(mismatches.first.map { Self.inputs[$0.offset] } ?? 0)")
        }
    }

    func testEdgeValuesOnEveryPath() {
        for isa in VectorISA.runnable {
            let got = exponentials([-.infinity, .nan, 709.78, 709.8, VectorExp.flushBelow.nextDown, VectorExp.flushBelow, 0], on: isa)
            XCTAssertEqual(got[0].bitPattern, 0.0.bitPattern, "\(isa.rawValue): e^−∞ is +0")
            XCTAssertTrue(got[1].isNaN, "\(isa.rawValue)")
            XCTAssertEqual(got[2], Foundation.exp(709.78), accuracy: 2 * Foundation.exp(709.78).ulp, "\(isa.rawValue)")
            XCTAssertEqual(got[3], .infinity, "\(isa.rawValue)")
            XCTAssertEqual(got[4].bitPattern, 0.0.bitPattern, "\(isa.rawValue): below the flush bound")
            XCTAssertGreaterThanOrEqual(got[5], Double.leastNormalMagnitude, "\(isa.rawValue)")
            XCTAssertEqual(got[6], 1, "\(isa.rawValue)")
        }
    }

    /// Every length 0…40 at every offset 0…3, so the 8-lane body and each tail length run, and no
    /// value outside the range is touched.
    func testEveryLengthAndOffsetOnEveryPath() {
        let source = (0..<48).map { -30 + 1.37 * Double($0) }
        for isa in VectorISA.runnable {
            for offset in 0..<4 {
                for count in 0...40 {
                    var buffer = source
                    VectorISA.withPath(isa) {
                        buffer.withUnsafeMutableBufferPointer { VectorExp.apply($0.baseAddress! + offset, count: count) }
                    }
                    let expected = source.enumerated().map { $0.offset >= offset && $0.offset < offset + count ? VectorExp.exp($0.element) : $0.element }
                    XCTAssertEqual(buffer.map(\.bitPattern), expected.map(\.bitPattern), "\(isa.rawValue), offset \(offset), count \(count)")
                }
            }
        }
    }

    func testWithPathRestoresTheActivePath() {
        let before = VectorISA.active
        VectorISA.withPath(.baseline) { XCTAssertEqual(VectorISA.active, .baseline) }
        XCTAssertEqual(VectorISA.active, before)
        XCTAssertEqual(VectorISA.detected, VectorISA.runnable.last)
    }

    func testEnvironmentVariableNamesAPathOrFailsWithTheSupportedOnes() throws {
        XCTAssertNil(try VectorISA.requested(in: [:]))
        XCTAssertNil(try VectorISA.requested(in: ["CLAIMBENCH_ISA": ""]))
        XCTAssertEqual(try VectorISA.requested(in: ["CLAIMBENCH_ISA": "baseline"]), .baseline)
        XCTAssertThrowsError(try VectorISA.requested(in: ["CLAIMBENCH_ISA": "sse9"])) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("CLAIMBENCH_ISA=sse9"), message)
            XCTAssertTrue(message.contains("baseline, avx2-fma, avx512"), message)
        }
        for isa in VectorISA.allCases {
            if VectorISA.runnable.contains(isa) {
                XCTAssertEqual(try VectorISA.requested(in: ["CLAIMBENCH_ISA": isa.rawValue]), isa)
            } else {
                XCTAssertThrowsError(try VectorISA.requested(in: ["CLAIMBENCH_ISA": isa.rawValue])) { error in
                    XCTAssertTrue("\(error)".contains("cannot run the \(isa.rawValue) path"), "\(error)")
                    XCTAssertTrue("\(error)".contains("supported here: baseline"), "\(error)")
                }
            }
        }
    }

    func testFingerprintRecordsTheActivePathOfEachKernel() {
        let paths = VectorISA.withPath(.baseline) { KernelPaths.current }
        XCTAssertEqual(Set(paths.keys), ["VectorExp", "KDE KernelSums row", "Sinkhorn scaling sweep", "FusedRNN", "FMAPeak"])
        for path in paths.values { XCTAssertTrue(path.hasPrefix("baseline "), path) }
        for path in KernelPaths.current.values { XCTAssertTrue(path.hasPrefix(VectorISA.active.rawValue + " "), path) }
    }
}
