import Foundation
import HarnessCore
import XCTest
@testable import LearningRateBatchExperiment

final class ScalingFitTests: XCTestCase {
    private let sizes: [Double] = [4, 8, 16, 32, 64, 128, 256, 512, 1024]

    func testSlopeOfExactPowerLaw() {
        let b: [Double] = [4, 8, 16, 32]
        XCTAssertEqual(ScalingFit.logLogSlope(x: b, y: b.map { 3 * pow($0, 0.5) }), 0.5, accuracy: 1e-12)
        XCTAssertEqual(ScalingFit.logLogSlope(x: b, y: b.map { 0.1 * $0 }), 1, accuracy: 1e-12)
        XCTAssertTrue(ScalingFit.logLogSlope(x: b, y: [1, 2, 0, 4]).isNaN)
    }

    /// lr = c·(B/(B + B*))^α sampled exactly: the fit returns c, B* and α, for SGD's law (α = 1)
    /// and Adam's (α = ½), with the bend inside the range of B.
    func testFitRecoversTheExactLaw() throws {
        for (c, crossover, alpha) in [(2.5, 60.0, 1.0), (0.8, 13.0, 1.0), (145.0, 40.0, 0.5), (1.0, 200.0, 0.75)] {
            let law = try XCTUnwrap(SaturatingLaw.fit(batchSizes: sizes, rates: sizes.map { c * pow($0 / ($0 + crossover), alpha) }))
            XCTAssertEqual(law.position, .interior)
            XCTAssertEqual(law.exponent, alpha, accuracy: 1e-6 * alpha)
            XCTAssertEqual(law.crossover, crossover, accuracy: 1e-5 * crossover)
            XCTAssertEqual(law.plateau, c, accuracy: 1e-6 * c)
            XCTAssertLessThan(law.rmsLogResidual, 1e-8)
            XCTAssertEqual(law.rate(batchSize: 100), c * pow(100 / (100 + crossover), alpha), accuracy: 1e-5 * c)
        }
    }

    /// The point of fitting α: SGD's exact law with B* = 13 has a straight slope of only about 0.6
    /// on B ∈ {4, 8, 16}, yet its small-B exponent is 1.
    func testWindowSlopeOnTheBendUnderstatesTheExponent() throws {
        let rates = sizes.map { $0 / ($0 + 13) }
        XCTAssertEqual(ScalingFit.logLogSlope(x: [4, 8, 16], y: Array(rates[0..<3])), 0.61, accuracy: 0.01)
        XCTAssertEqual(try XCTUnwrap(SaturatingLaw.fit(batchSizes: sizes, rates: rates)).exponent, 1, accuracy: 1e-6)
    }

    /// No bend within the range: B* runs to the search's upper end and α is the power-law slope.
    /// Flat data: the plateau is the value (α = 0 with any B*). A bend below the smallest B: B* is
    /// still found, but α is not identified.
    func testFitReportsWhereNoBendIsSeen() throws {
        let power = try XCTUnwrap(SaturatingLaw.fit(batchSizes: sizes, rates: sizes.map { 0.01 * pow($0, 0.7) }))
        XCTAssertEqual(power.position, .aboveRange)
        XCTAssertEqual(power.exponent, 0.7, accuracy: 0.01)
        XCTAssertLessThan(power.plateauFraction(batchSize: 1024), 0.2)
        let flat = try XCTUnwrap(SaturatingLaw.fit(batchSizes: sizes, rates: sizes.map { _ in 1.6 }))
        XCTAssertEqual(flat.plateau, 1.6, accuracy: 1e-9)
        XCTAssertLessThan(flat.rmsLogResidual, 1e-9)
        XCTAssertTrue(flat.position == .belowRange ? flat.exponent.isNaN : abs(flat.exponent) < 1e-9)
        // Bend below the smallest B (B* = 1 < 4): the rise is too small to measure α.
        let past = try XCTUnwrap(SaturatingLaw.fit(batchSizes: sizes, rates: sizes.map { 0.4 * $0 / ($0 + 1) }))
        XCTAssertEqual(past.crossover, 1, accuracy: 1e-4)
        XCTAssertEqual(past.position, .belowRange)
        XCTAssertTrue(past.exponent.isNaN)
        let early = try XCTUnwrap(SaturatingLaw.fit(batchSizes: sizes, rates: sizes.map { 1.6 * $0 / ($0 + 0.001) }))
        XCTAssertEqual(early.position, .belowRange)
        XCTAssertTrue(early.exponent.isNaN)
    }

    /// Unmeasurable cells (NaN) are left out; fewer than three measurable points give no fit.
    func testFitSkipsNaNAndNeedsThreePoints() throws {
        var rates = sizes.map { 2 * $0 / ($0 + 30) }
        rates[1] = .nan
        rates[6] = .nan
        let law = try XCTUnwrap(SaturatingLaw.fit(batchSizes: sizes, rates: rates))
        XCTAssertEqual(law.crossover, 30, accuracy: 1e-4)
        XCTAssertNil(SaturatingLaw.fit(batchSizes: [4, 8, 16, 32], rates: [1, .nan, .nan, 3]))
    }

    func testMeanIntervalUsesStudentT() throws {
        let (mean, interval) = ScalingFit.meanWithInterval([1, 2, 3])
        XCTAssertEqual(mean, 2)
        let half = 4.303 * (1.0 / 3).squareRoot()
        XCTAssertEqual(try XCTUnwrap(interval).lower, 2 - half, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(interval).upper, 2 + half, accuracy: 1e-12)
        XCTAssertNil(ScalingFit.meanWithInterval([5]).interval)
        XCTAssertEqual(ScalingFit.studentT(degreesOfFreedom: 1000, level: 0.95), 1.9623, accuracy: 1e-3)  // tables: 1.9623
    }

    /// Per-B lr_max is stochastic: geometric mean of the measurable seeds, standard error by the
    /// delta method, NaN seeds left out.
    func testLearningRateMetricIsStochasticWithStandardError() throws {
        let metric = SeedStatistics.geometricMean([1, 4, .nan, 2])
        XCTAssertEqual(metric.metricClass, .stochastic)
        XCTAssertEqual(metric.value, 2, accuracy: 1e-12)
        let logs = [0.0, log(4.0), log(2.0)]
        let sd = (logs.map { ($0 - log(2.0)) * ($0 - log(2.0)) }.reduce(0, +) / 2).squareRoot()
        XCTAssertEqual(try XCTUnwrap(metric.standardError), 2 * sd / 3.0.squareRoot(), accuracy: 1e-12)
        XCTAssertTrue(SeedStatistics.geometricMean([.nan, .nan]).value.isNaN)
        XCTAssertTrue(SeedStatistics.mean([0.9, .nan]).value.isNaN)  // one seed: no interval, no value
    }

    /// A claim on the fitted exponent is inconclusive when the seeds' interval straddles a bound,
    /// reproduced when it lies inside, not reproduced when it lies outside.
    func testExponentClaimIsInconclusiveWhenItsIntervalStraddlesTheBound() {
        let claim = ClaimPredicate.between(0.8, 1.2)
        func verdict(_ exponents: [Double]) -> Verdict {
            let metric = SeedStatistics.mean(exponents)
            return ClaimEvaluator.verdict(claim, value: metric.value, interval: metric.interval)
        }
        XCTAssertEqual(verdict([0.7, 0.9, 1.1]), .inconclusive)
        XCTAssertEqual(verdict([0.98, 1.0, 1.02]), .reproduced)
        XCTAssertEqual(verdict([0.3, 0.35, 0.4]), .notReproduced)
        XCTAssertEqual(verdict([1.0, .nan, .nan]), .inconclusive)
    }
}

extension ScalingFitTests {
    /// The resolution bound on α is reached by errors ±r with the sign of xᵢ − x̄ (B* held fixed).
    func testExponentShiftIsTheWorstCaseSlopeChange() throws {
        let rates = sizes.map { 1.5 * $0 / ($0 + 20) }
        let law = try XCTUnwrap(SaturatingLaw.fit(batchSizes: sizes, rates: rates))
        let x = sizes.map { log($0 / ($0 + law.crossover)) }
        let mean = x.reduce(0, +) / Double(x.count)
        func slope(_ y: [Double]) -> Double {
            let my = y.reduce(0, +) / Double(y.count)
            return zip(x, y).reduce(0) { $0 + ($1.0 - mean) * ($1.1 - my) } / x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        }
        let r = 0.02
        let clean = rates.map { log($0) }
        let worst = zip(clean, x).map { $0.0 + ($0.1 > mean ? r : -r) }
        XCTAssertEqual(slope(worst) - slope(clean), law.exponentShift(batchSizes: sizes, logError: r), accuracy: 1e-12)
        XCTAssertGreaterThan(law.exponentShift(batchSizes: sizes, logError: r), 2 * r / (x.max()! - x.min()!) - 1e-12)
    }
}
