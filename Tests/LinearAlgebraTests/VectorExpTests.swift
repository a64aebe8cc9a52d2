import Foundation
import LinearAlgebra
import XCTest

/// Accuracy of `VectorExp` against glibc's `exp` (itself < 1 ulp), and bit-exactness of its
/// scalar and buffer forms. No timings are asserted here.
final class VectorExpTests: XCTestCase {
    /// |a − b| in units of the last place of b (b normal).
    private func ulps(_ a: Double, _ b: Double) -> Double { abs(a - b) / b.ulp }

    func testDenseSweepWithinFourUlpWhereNormal() {
        // [−745, 50] in 1,590,000 steps, each point nudged off the grid by a fixed irrational
        // fraction so the reduced arguments cover [−ln2/2, ln2/2] densely.
        let low = -745.0, high = 50.0, steps = 1_590_000
        var worstNormal = 0.0, worstAt = 0.0
        var worstSubnormal = 0.0
        for step in 0...steps {
            let x = low + (high - low) * (Double(step) + 0.6180339887498949 * Double(step % 7) / 7) / Double(steps)
            guard x <= high else { continue }
            let expected = Foundation.exp(x)
            let got = VectorExp.exp(x)
            if expected.isNormal {
                let error = ulps(got, expected)
                if error > worstNormal { worstNormal = error; worstAt = x }
            } else if got != 0 {
                worstSubnormal = max(worstSubnormal, 1)  // subnormal results are flushed to +0
            }
        }
        XCTAssertLessThanOrEqual(worstNormal, 4, "worst error \(worstNormal) ulp at x = \(worstAt)")
        XCTAssertEqual(worstSubnormal, 0, "a subnormal result was not flushed to +0")
    }

    func testReducedRangeAroundZeroWithinTwoUlp() {
        // Where k = 0 the whole error is the polynomial's: a fine sweep of |x| ≤ 0.4.
        var worst = 0.0
        for step in -200_000...200_000 {
            let x = Double(step) * 2e-6 + 1.3e-9
            worst = max(worst, ulps(VectorExp.exp(x), Foundation.exp(x)))
        }
        XCTAssertLessThanOrEqual(worst, 2)
    }

    func testEdgeCases() {
        XCTAssertEqual(VectorExp.exp(0), 1)
        XCTAssertEqual(VectorExp.exp(-0.0), 1)
        for tiny in [Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude, Double.leastNormalMagnitude, -1e-300, 1e-17, -1e-17] {
            XCTAssertEqual(VectorExp.exp(tiny), 1, "exp(\(tiny))")
        }
        XCTAssertEqual(VectorExp.exp(1), Foundation.exp(1), accuracy: 2 * Foundation.exp(1).ulp)
        XCTAssertEqual(VectorExp.exp(-1), Foundation.exp(-1), accuracy: 2 * Foundation.exp(-1).ulp)
        // Around the normal/subnormal boundary (e^x < 2⁻¹⁰²² below x ≈ −708.3964): normal results
        // within 4 ulp, subnormal ones flushed to +0.
        for x in stride(from: -708.5, through: -708.3, by: 0.0005) + [VectorExp.flushBelow, VectorExp.flushBelow.nextUp] {
            let expected = Foundation.exp(x), got = VectorExp.exp(x)
            if expected.isNormal {
                XCTAssertLessThanOrEqual(ulps(got, expected), 4, "exp(\(x))")
            } else {
                XCTAssertEqual(got, 0, "exp(\(x)) is subnormal and flushed")
            }
        }
        XCTAssertGreaterThanOrEqual(VectorExp.exp(VectorExp.flushBelow), Double.leastNormalMagnitude)
        XCTAssertEqual(VectorExp.exp(VectorExp.flushBelow.nextDown), 0)
        // The subnormal range −708.4 … −745.13 and below: +0.
        for x in stride(from: -745.2, through: -708.5, by: 0.05) {
            XCTAssertEqual(VectorExp.exp(x), 0, "exp(\(x))")
            XCTAssertEqual(VectorExp.exp(x).sign, .plus)
        }
        for large in [-746.0, -800.0, -1e4, -1e300, -Double.greatestFiniteMagnitude, -Double.infinity] {
            XCTAssertEqual(VectorExp.exp(large), 0, "exp(\(large))")
            XCTAssertEqual(VectorExp.exp(large).sign, .plus)
        }
        // Upward, beyond what its callers need (Sinkhorn's plan ≤ ~50, KDE ≤ 0): finite up to 709.78, then +∞.
        XCTAssertEqual(VectorExp.exp(50), Foundation.exp(50), accuracy: 4 * Foundation.exp(50).ulp)
        XCTAssertEqual(VectorExp.exp(709.7), Foundation.exp(709.7), accuracy: 4 * Foundation.exp(709.7).ulp)
        XCTAssertEqual(VectorExp.exp(709.8), .infinity)
        XCTAssertEqual(VectorExp.exp(.infinity), .infinity)
        XCTAssertTrue(VectorExp.exp(.nan).isNaN)
    }

    func testBufferFormMatchesScalarFormBitForBit() {
        // Odd length, so a vectorised body and its scalar remainder both run (release builds).
        let count = 1_003
        var values = (0..<count).map { -745.5 + 795.5 * Double($0) / Double(count - 1) }
        let expected = values.map(VectorExp.exp)
        values.withUnsafeMutableBufferPointer { VectorExp.apply($0.baseAddress!, count: count) }
        XCTAssertEqual(values.map(\.bitPattern), expected.map(\.bitPattern))
    }
}
