import HarnessCore
import XCTest

final class StochasticMeanTests: XCTestCase {
    /// Values 1, 2, 3, 4: mean 2.5, s² = 5/3, SE = √(5/12), t₀.₉₇₅,₃ = 3.182.
    func testKnownAnswer() {
        let metric = StochasticMean.metric([1, 2, 3, 4], unit: "x")
        XCTAssertEqual(metric.metricClass, .stochastic)
        XCTAssertEqual(metric.unit, "x")
        XCTAssertEqual(metric.value, 2.5)
        let se = (5.0 / 12).squareRoot()
        XCTAssertEqual(metric.standardError!, se, accuracy: 1e-15)
        XCTAssertEqual(metric.interval!.lower, 2.5 - 3.182 * se, accuracy: 1e-12)
        XCTAssertEqual(metric.interval!.upper, 2.5 + 3.182 * se, accuracy: 1e-12)
        XCTAssertEqual(metric.interval!.level, 0.95)
    }

    func testDegenerateInputsHaveNoInterval() {
        XCTAssertNil(StochasticMean.metric([3]).standardError)
        XCTAssertEqual(StochasticMean.metric([3]).value, 3)
        XCTAssertTrue(StochasticMean.metric([]).value.isNaN)
        XCTAssertNil(StochasticMean.metric([1, .infinity]).interval)
        // Equal values: zero standard error, a zero-width interval.
        XCTAssertEqual(StochasticMean.metric([2, 2, 2]).standardError, 0)
    }

    func testQuantileTableAndTail() {
        XCTAssertEqual(StochasticMean.studentT95(degreesOfFreedom: 1), 12.706)
        XCTAssertEqual(StochasticMean.studentT95(degreesOfFreedom: 30), 2.042)
        // df = 60: 2.000 to three decimals; df = 120: 1.980.
        XCTAssertEqual(StochasticMean.studentT95(degreesOfFreedom: 60), 2.000, accuracy: 1e-3)
        XCTAssertEqual(StochasticMean.studentT95(degreesOfFreedom: 120), 1.980, accuracy: 1e-3)
    }
}
