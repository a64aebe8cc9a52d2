import HarnessCore
import XCTest

/// Standard errors and t-intervals of stochastic metrics, against closed forms and tables.
final class StochasticEstimateTests: XCTestCase {
    func testStudentQuantileMatchesTables() {
        // Two-sided 95% quantiles from standard tables.
        XCTAssertEqual(StochasticEstimate.studentT95(degreesOfFreedom: 1), 12.706)
        XCTAssertEqual(StochasticEstimate.studentT95(degreesOfFreedom: 23), 2.069)
        XCTAssertEqual(StochasticEstimate.studentT95(degreesOfFreedom: 31), 2.0395, accuracy: 2e-4)
        XCTAssertEqual(StochasticEstimate.studentT95(degreesOfFreedom: 40), 2.0211, accuracy: 2e-4)
        XCTAssertEqual(StochasticEstimate.studentT95(degreesOfFreedom: 63), 1.9983, accuracy: 2e-4)
        XCTAssertEqual(StochasticEstimate.studentT95(degreesOfFreedom: 120), 1.9799, accuracy: 2e-4)
        XCTAssertEqual(StochasticEstimate.studentT95(degreesOfFreedom: 1_000_000), 1.95996, accuracy: 1e-4)
    }

    func testMeanOfSamplesHasTheTextbookStandardErrorAndInterval() throws {
        // Samples 1…5: mean 3, s² = 2.5, SE = √(2.5/5) = √0.5; t_{0.975,4} = 2.776.
        let metric = Metric.stochastic(samples: [1, 2, 3, 4, 5])
        XCTAssertEqual(metric.metricClass, .stochastic)
        XCTAssertEqual(metric.value, 3)
        XCTAssertEqual(try XCTUnwrap(metric.standardError), 0.5.squareRoot(), accuracy: 1e-15)
        let interval = try XCTUnwrap(metric.interval)
        XCTAssertEqual(interval.lower, 3 - 2.776 * 0.5.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(interval.upper, 3 + 2.776 * 0.5.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(interval.level, 0.95)
    }

    /// For the mean, the delete-one jackknife reproduces s/√R exactly.
    func testJackknifeOfTheMeanIsTheStandardErrorOfTheMean() {
        let samples = RandomStreams(seed: 11).stream("jackknife").normals(17).map { 3 + 2 * $0 }
        let total = samples.reduce(0, +)
        let leaveOneOut = samples.map { (total - $0) / Double(samples.count - 1) }
        XCTAssertEqual(StochasticEstimate.jackknifeStandardError(leaveOneOut: leaveOneOut),
                       StochasticEstimate.standardErrorOfMean(samples), accuracy: 1e-13)
    }

    func testUnestimableStandardErrorGivesAnUnboundedInterval() throws {
        let metric = Metric.jackknife(0.9, leaveOneOut: [0.8, .nan, 1.0])
        XCTAssertNil(metric.standardError)
        let interval = try XCTUnwrap(metric.interval)
        XCTAssertEqual(interval.lower, -.infinity)
        XCTAssertEqual(interval.upper, .infinity)
        // A claim on it can only be inconclusive.
        XCTAssertEqual(ClaimEvaluator.verdict(.atMost(1), value: metric.value, interval: metric.interval), .inconclusive)
        XCTAssertNil(Metric.stochastic(samples: [.nan, 1]).interval)
        XCTAssertTrue(Metric.stochastic(samples: []).value.isNaN)
    }
}
