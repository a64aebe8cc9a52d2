import Foundation
import XCTest
@testable import KernelDensityExperiment

/// The thresholds against their defining equations, evaluated independently of the closed form.
final class RegimeTheoryTests: XCTestCase {
    /// α(μ, h) = μΛ'(μ) − Λ(μ) with Λ' by a central difference of `cumulant` (not `cumulantSlope`).
    private func rateByDifference(_ mu: Double, _ h: Double) -> Double {
        let step = 1e-5
        let slope = (RegimeTheory.cumulant(mu + step, bandwidth: h) - RegimeTheory.cumulant(mu - step, bandwidth: h)) / (2 * step)
        return mu * slope - RegimeTheory.cumulant(mu, bandwidth: h)
    }

    func testThresholdsSatisfyTheirDefiningEquations() throws {
        for alpha in [0.05, 0.2, 0.3, 0.45, 0.6, 1.5] {
            let hG = try RegimeTheory.extremeValueThreshold(alpha: alpha)
            let hCLT = try RegimeTheory.cltThreshold(alpha: alpha)
            XCTAssertEqual(rateByDifference(1, hG), alpha, accuracy: 1e-8, "μ = 1 at h_G, α = \(alpha)")
            XCTAssertEqual(rateByDifference(2, hCLT), alpha, accuracy: 1e-8, "μ = 2 at h_CLT, α = \(alpha)")
            XCTAssertEqual(try RegimeTheory.tailIndex(bandwidth: hG, alpha: alpha), 1, accuracy: 1e-12)
            XCTAssertEqual(try RegimeTheory.tailIndex(bandwidth: hCLT, alpha: alpha), 2, accuracy: 1e-12)
            // K_h² ∝ K_{h/√2}, so the μ = 2 condition at h is the μ = 1 condition at h/√2.
            XCTAssertEqual(hCLT / hG, 2.0.squareRoot(), accuracy: 1e-12)
        }
    }

    /// Brute force: scan h on a fine grid for the sign change of μΛ'(μ) − Λ(μ) − α.
    func testRootFindingAgreesWithABruteForceScan() throws {
        for alpha in [0.2, 0.4, 0.6] {
            for mu in [1.0, 2.0] {
                var previous = rateByDifference(mu, 0.05) - alpha
                var found = Double.nan
                var h = 0.05
                while h < 5 {
                    let next = h + 1e-4
                    let value = rateByDifference(mu, next) - alpha
                    if previous.sign != value.sign { found = next; break }
                    previous = value
                    h = next
                }
                XCTAssertEqual(try RegimeTheory.bandwidth(tailIndex: mu, alpha: alpha), found, accuracy: 2e-4, "α = \(alpha), μ = \(mu)")
            }
        }
    }

    func testCumulantSlopeIsTheDerivative() {
        for h in [0.3, 0.8, 1.7] {
            for m in [0.5, 1.0, 2.0] {
                let step = 1e-6
                let difference = (RegimeTheory.cumulant(m + step, bandwidth: h) - RegimeTheory.cumulant(m - step, bandwidth: h)) / (2 * step)
                XCTAssertEqual(RegimeTheory.cumulantSlope(m, bandwidth: h), difference, accuracy: 1e-7)
            }
        }
    }

    /// Known answer: in d = 1 with x² = 1, E_y[K^m] = ∫ φ(y) e^{−m(1−y)²/(2h²)} dy by quadrature equals e^{Λ(m)}.
    func testCumulantMatchesQuadratureInOneDimension() {
        for (m, h) in [(1.0, 0.7), (2.0, 1.3), (0.5, 0.4)] {
            var integral = 0.0
            let step = 1e-3
            var y = -12.0
            while y <= 12 {
                integral += exp(-0.5 * y * y) / (2 * Double.pi).squareRoot() * exp(-m * (1 - y) * (1 - y) / (2 * h * h)) * step
                y += step
            }
            XCTAssertEqual(log(integral), RegimeTheory.cumulant(m, bandwidth: h), accuracy: 1e-9, "m = \(m), h = \(h)")
        }
    }

    func testKLTheoryIsContinuousAndMinimalAtItsOptimum() throws {
        for alpha in [0.2, 0.4, 0.6] {
            let hG = try RegimeTheory.extremeValueThreshold(alpha: alpha)
            let below = try RegimeTheory.klPerDimension(bandwidth: hG * (1 - 1e-9), alpha: alpha)
            let above = try RegimeTheory.klPerDimension(bandwidth: hG * (1 + 1e-9), alpha: alpha)
            XCTAssertEqual(below, above, accuracy: 1e-8, "continuous at h_G")
            let best = try RegimeTheory.klOptimalBandwidth(alpha: alpha)
            XCTAssertLessThan(best, hG, "the large-d optimum lies below h_G")
            let atBest = try RegimeTheory.klPerDimension(bandwidth: best, alpha: alpha)
            for factor in [0.9, 0.99, 1.01, 1.1] {
                XCTAssertGreaterThan(try RegimeTheory.klPerDimension(bandwidth: best * factor, alpha: alpha), atBest)
            }
        }
    }

    func testBadInputIsRejected() {
        XCTAssertThrowsError(try RegimeTheory.slopeVariable(alpha: 0)) {
            XCTAssertEqual($0 as? KernelDensityInputError, .nonPositiveAlpha(0))
        }
        XCTAssertThrowsError(try RegimeTheory.cltThreshold(alpha: -0.1))
        XCTAssertThrowsError(try RegimeTheory.tailIndex(bandwidth: 0, alpha: 0.3)) {
            XCTAssertEqual($0 as? KernelDensityInputError, .nonPositiveBandwidth(0))
            XCTAssertTrue("\($0)".contains("must be positive"))
        }
        XCTAssertThrowsError(try RegimeTheory.tailIndex(bandwidth: -1, alpha: 0.3))
    }

    func testTooLargeSampleStatesTheSizeItWouldNeed() {
        XCTAssertThrowsError(try SampleSize.checked(alpha: 0.6, dimension: 30)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("6.57e+07 points"), text)  // e^18
            XCTAssertTrue(text.contains("15.8 GB"), text)          // n·d·8 bytes
            XCTAssertTrue(text.contains("10000000"), text)
        }
        XCTAssertEqual(try SampleSize.checked(alpha: 0.2, dimension: 20), 55)
    }
}
