import Foundation
import XCTest
@testable import FlashRNNExperiment

/// The eight-lane exp, σ and tanh against libm over the ranges the gates see.
final class VectorMathTests: XCTestCase {
    func lanes(_ start: Double, _ step: Double) -> SIMD8<Float> {
        SIMD8<Float>((0..<8).map { Float(start + Double($0) * step) })
    }

    func testExpRelativeErrorAndClamping() {
        var worst = 0.0
        var x = -80.0
        while x < 80 {
            let v = lanes(x, 0.0137), e = VectorMath.exp(v)
            for i in 0..<8 {
                let exact = Foundation.exp(Double(v[i]))
                worst = max(worst, abs(Double(e[i]) - exact) / exact)
            }
            x += 0.11
        }
        XCTAssertLessThan(worst, 5e-7, "a few ulp")
        let extreme = VectorMath.exp(SIMD8<Float>(-1000, -100, -88, 0, 1, 88, 100, 1000))
        XCTAssertTrue((0..<8).allSatisfy { extreme[$0].isFinite && extreme[$0] > 0 }, "\(extreme)")
        XCTAssertEqual(extreme[3], 1)
        XCTAssertLessThan(extreme[0], 1e-37)
    }

    func testSigmoidAndTanhAbsoluteError() {
        var worstSigmoid = 0.0, worstTanh = 0.0
        var x = -30.0
        while x < 30 {
            let v = lanes(x, 0.003)
            let s = VectorMath.sigmoid(v), t = VectorMath.tanh(v)
            for i in 0..<8 {
                let d = Double(v[i])
                worstSigmoid = max(worstSigmoid, abs(Double(s[i]) - 1 / (1 + Foundation.exp(-d))))
                worstTanh = max(worstTanh, abs(Double(t[i]) - Foundation.tanh(d)))
            }
            x += 0.05
        }
        XCTAssertLessThan(worstSigmoid, 2e-7)
        XCTAssertLessThan(worstTanh, 5e-7)
    }
}
