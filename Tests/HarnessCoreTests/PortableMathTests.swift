import Foundation
import XCTest
@testable import HarnessCore

/// `PortableMath` against the platform's libm (allowed here, as a reference only), against
/// closed forms and identities, on special values, and on frozen bit patterns.
final class PortableMathTests: XCTestCase {
    /// |a − b| in units of the last place of the larger (0 when bit-identical).
    private func ulpDistance(_ a: Double, _ b: Double) -> Double {
        if a.bitPattern == b.bitPattern { return 0 }
        return abs(a - b) / max(a.ulp, b.ulp)
    }

    /// Points spread over [lower, upper) from a fixed Philox stream (never the system generator).
    private func points(_ count: Int, _ lower: Double, _ upper: Double, stream name: String) -> [Double] {
        RandomStreams(seed: 2026).stream("test/portable-math/\(name)").uniforms(count).map { lower + (upper - lower) * $0 }
    }

    private func assertClose(
        _ name: String, _ xs: [Double], ulps limit: Double, _ ours: (Double) -> Double, _ reference: (Double) -> Double,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        var worst = 0.0, worstX = 0.0
        for x in xs {
            let distance = ulpDistance(ours(x), reference(x))
            if distance > worst { (worst, worstX) = (distance, x) }
        }
        XCTAssertLessThanOrEqual(worst, limit, "\(name): \(worst) ulp from libm at x = \(worstX)", file: file, line: line)
    }

    // MARK: Against libm

    /// Both ours and glibc's are within 1 ulp of the true value, so they agree within 1 ulp.
    func testLogMatchesLibm() {
        assertClose("log (0, 1)", points(20_000, 0, 1, stream: "log/unit").map { $0 == 0 ? 0.5 : $0 }, ulps: 1, PortableMath.log, Foundation.log)
        assertClose("log near 1", points(20_000, 0.9, 1.1, stream: "log/one"), ulps: 1, PortableMath.log, Foundation.log)
        assertClose("log wide", points(20_000, -700, 700, stream: "log/wide").map(Foundation.exp), ulps: 1, PortableMath.log, Foundation.log)
        assertClose("log subnormal", points(2_000, 1, 0x1p40, stream: "log/sub").map { $0 * Double.leastNonzeroMagnitude },
                    ulps: 1, PortableMath.log, Foundation.log)
    }

    func testExpAndExpm1MatchLibm() {
        assertClose("exp", points(20_000, -745, 709.7, stream: "exp/wide"), ulps: 1, PortableMath.exp, Foundation.exp)
        assertClose("exp small", points(20_000, -3, 3, stream: "exp/small"), ulps: 1, PortableMath.exp, Foundation.exp)
        assertClose("expm1", points(20_000, -40, 709, stream: "expm1/wide"), ulps: 1, PortableMath.expm1, Foundation.expm1)
        assertClose("expm1 small", points(20_000, -1.5, 1.5, stream: "expm1/small"), ulps: 1, PortableMath.expm1, Foundation.expm1)
        assertClose("expm1 tiny", points(2_000, -1e-8, 1e-8, stream: "expm1/tiny"), ulps: 1, PortableMath.expm1, Foundation.expm1)
    }

    /// tanh is within about 2 ulp of the truth (three roundings after expm1), as glibc's.
    func testTanhMatchesLibm() {
        assertClose("tanh", points(20_000, -25, 25, stream: "tanh/wide"), ulps: 3, PortableMath.tanh, Foundation.tanh)
        assertClose("tanh small", points(20_000, -1.5, 1.5, stream: "tanh/small"), ulps: 3, PortableMath.tanh, Foundation.tanh)
    }

    /// Against libm's sin/cos of the radian angle, reduced the same exact way to |2πr| ≤ π/4 so
    /// that the reference has no large argument-rounding error near the zeros.
    func testSinCosTwoPiMatchesLibm() {
        var worst = 0.0, worstU = 0.0
        for u in points(20_000, 0, 1, stream: "sincos") + points(2_000, 0, 1e-6, stream: "sincos/tiny") {
            let quadrant = (4 * u).rounded()
            let r = u - quadrant / 4  // exact
            let angle = 2 * Double.pi * r
            let (s, c) = (Foundation.sin(angle), Foundation.cos(angle))
            let reference: (Double, Double) = switch Int(quadrant) & 3 {
            case 0: (s, c)
            case 1: (c, -s)
            case 2: (-s, -c)
            default: (-c, s)
            }
            let ours = PortableMath.sinCosTwoPi(u)
            let distance = max(ulpDistance(ours.sin, reference.0), ulpDistance(ours.cos, reference.1))
            if distance > worst { (worst, worstU) = (distance, u) }
        }
        // 2π·r and libm each add up to about 1 ulp; ours is within 1 ulp of the exact value.
        XCTAssertLessThanOrEqual(worst, 3, "sinCosTwoPi: \(worst) ulp from libm at u = \(worstU)")
    }

    // MARK: Closed forms and identities

    func testClosedForms() {
        XCTAssertEqual(PortableMath.log(1), 0)
        XCTAssertEqual(PortableMath.exp(0), 1)
        XCTAssertEqual(PortableMath.expm1(0), 0)
        XCTAssertEqual(PortableMath.tanh(0), 0)
        // ln(2^k) = k ln 2, correctly rounded.
        for k in [-1074, -1022, -60, -1, 1, 2, 10, 100, 1023] {
            let expected = Double(k) * 0.693_147_180_559_945_3
            XCTAssertLessThanOrEqual(ulpDistance(PortableMath.log(Double(sign: .plus, exponent: k, significand: 1)), expected), 1, "k = \(k)")
        }
        XCTAssertLessThanOrEqual(ulpDistance(PortableMath.exp(1), 2.718_281_828_459_045), 1)
        XCTAssertLessThanOrEqual(ulpDistance(PortableMath.log(2.718_281_828_459_045), 1), 1)
        // tanh(ln 3 / 2) = 1/2 exactly in real arithmetic: (3 − 1)/(3 + 1).
        XCTAssertLessThanOrEqual(ulpDistance(PortableMath.tanh(0.549_306_144_334_054_8), 0.5), 2)
        // Quarter turns are exact.
        for (u, s, c) in [(0.0, 0.0, 1.0), (0.25, 1.0, 0.0), (0.5, 0.0, -1.0), (0.75, -1.0, 0.0)] {
            let value = PortableMath.sinCosTwoPi(u)
            XCTAssertEqual(value.sin, s, "sin 2π·\(u)")
            XCTAssertEqual(value.cos, c, "cos 2π·\(u)")
        }
        // An eighth and a twelfth of a turn: √2/2, and (√3/2, 1/2).
        let eighth = PortableMath.sinCosTwoPi(0.125)
        XCTAssertLessThanOrEqual(ulpDistance(eighth.sin, 0.5.squareRoot()), 1)
        XCTAssertLessThanOrEqual(ulpDistance(eighth.cos, 0.5.squareRoot()), 1)
        let twelfth = PortableMath.sinCosTwoPi(1.0 / 12)
        XCTAssertLessThanOrEqual(ulpDistance(twelfth.sin, 0.5), 1)
        XCTAssertLessThanOrEqual(ulpDistance(twelfth.cos, 0.75.squareRoot()), 1)
    }

    func testIdentities() {
        for x in points(2_000, -20, 20, stream: "identities") {
            // exp(log y) = y and log(exp x) = x within the two functions' errors.
            let y = abs(x) + 0.01
            XCTAssertEqual(PortableMath.exp(PortableMath.log(y)), y, accuracy: 4 * y.ulp + abs(PortableMath.log(y)).ulp * 2 * y)
            XCTAssertEqual(PortableMath.log(PortableMath.exp(x)), x, accuracy: 4 * max(x.ulp, 1.0.ulp))
            // expm1(x) = exp(x) − 1 where no cancellation hurts; tanh odd; tanh = expm1(2x)/(expm1(2x) + 2).
            if abs(x) > 1 {
                XCTAssertLessThanOrEqual(ulpDistance(PortableMath.expm1(x), PortableMath.exp(x) - 1), 2, "x = \(x)")
            }
            XCTAssertEqual(PortableMath.tanh(-x).bitPattern, (-PortableMath.tanh(x)).bitPattern)
            let t = PortableMath.expm1(2 * x)
            if t.isFinite { XCTAssertLessThanOrEqual(ulpDistance(PortableMath.tanh(x), t / (t + 2)), 3, "x = \(x)") }
        }
        for u in points(2_000, 0, 1, stream: "identities/turn") {
            let (s, c) = PortableMath.sinCosTwoPi(u)
            XCTAssertEqual(s * s + c * c, 1, accuracy: 4 * 1.0.ulp, "u = \(u)")
            // A mirrored turn: sin 2π(1 − u) = −sin 2πu for u ≥ ½, where 1 − u is exact.
            if u >= 0.5 {
                let mirrored = PortableMath.sinCosTwoPi(1 - u)
                XCTAssertLessThanOrEqual(ulpDistance(mirrored.sin, -s), 1, "u = \(u)")
                XCTAssertLessThanOrEqual(ulpDistance(mirrored.cos, c), 1, "u = \(u)")
            }
        }
    }

    // MARK: Special values

    func testSpecialValues() {
        XCTAssertEqual(PortableMath.log(0), -.infinity)
        XCTAssertEqual(PortableMath.log(-0.0), -.infinity)
        XCTAssertTrue(PortableMath.log(-1).isNaN)
        XCTAssertTrue(PortableMath.log(.nan).isNaN)
        XCTAssertEqual(PortableMath.log(.infinity), .infinity)
        XCTAssertEqual(PortableMath.log(.leastNonzeroMagnitude), -744.440_071_921_381_2)

        XCTAssertEqual(PortableMath.exp(.infinity), .infinity)
        XCTAssertEqual(PortableMath.exp(-.infinity), 0)
        XCTAssertTrue(PortableMath.exp(.nan).isNaN)
        XCTAssertEqual(PortableMath.exp(710), .infinity)
        XCTAssertEqual(PortableMath.exp(-746), 0)
        XCTAssertEqual(PortableMath.exp(-745.1), .leastNonzeroMagnitude)  // gradual underflow
        XCTAssertEqual(PortableMath.exp(1e-300), 1)

        XCTAssertEqual(PortableMath.expm1(-50), -1)
        XCTAssertEqual(PortableMath.expm1(-.infinity), -1)
        XCTAssertEqual(PortableMath.expm1(.infinity), .infinity)
        XCTAssertEqual(PortableMath.expm1(1e-300), 1e-300)
        XCTAssertTrue(PortableMath.expm1(.nan).isNaN)

        XCTAssertEqual(PortableMath.tanh(30), 1)
        XCTAssertEqual(PortableMath.tanh(-.infinity), -1)
        XCTAssertEqual(PortableMath.tanh(1e-300), 1e-300)
        XCTAssertEqual(PortableMath.tanh(-0.0).sign, .minus)
        XCTAssertTrue(PortableMath.tanh(.nan).isNaN)
    }

    // MARK: Frozen bit patterns

    /// Exact outputs, frozen: any change of an algorithm, a coefficient or the order of an
    /// operation changes at least one of them, and with it every generated input. Update them
    /// only deliberately, with the goldens, and say why.
    func testFrozenBitPatterns() {
        let cases: [(String, Double, UInt64)] = [
            ("log(0.3)", PortableMath.log(0.3), 0xbff3_4378_fcbd_a721),
            ("log(1e-300)", PortableMath.log(1e-300), 0xc085_9634_47f8_7fb5),
            ("exp(-1.7)", PortableMath.exp(-1.7), 0x3fc7_622c_78a9_8a07),
            ("exp(100.5)", PortableMath.exp(100.5), 0x48ff_cc37_a76f_9e76),
            ("expm1(1e-3)", PortableMath.expm1(1e-3), 0x3f50_6466_dfb8_cf3a),
            ("expm1(-0.9)", PortableMath.expm1(-0.9), 0xbfe2_fd61_9ffb_c8f1),
            ("expm1(30)", PortableMath.expm1(30), 0x42a3_7047_0aec_26ed),
            ("tanh(0.37)", PortableMath.tanh(0.37), 0x3fd6_a7cc_db09_3670),
            ("tanh(3.1)", PortableMath.tanh(3.1), 0x3fef_ded1_30ca_9124),
            ("sin 2π·0.1", PortableMath.sinCosTwoPi(0.1).sin, 0x3fe2_cf23_0475_5a5e),
            ("cos 2π·0.1", PortableMath.sinCosTwoPi(0.1).cos, 0x3fe9_e377_9b97_f4a8),
            ("sin 2π·0.7", PortableMath.sinCosTwoPi(0.7).sin, 0xbfee_6f0e_1344_54ff),
            ("cos 2π·0.7", PortableMath.sinCosTwoPi(0.7).cos, 0xbfd3_c6ef_372f_e954),
        ]
        for (name, value, bits) in cases {
            XCTAssertEqual(value.bitPattern, bits, "\(name) = \(value), bits 0x\(String(value.bitPattern, radix: 16))")
        }
    }
}
