import Foundation
import HarnessCore
import XCTest
@testable import SinkhornExperiment

/// `MassThreshold` (binning by binary exponent, no sort) against a brute-force sort.
///
/// Specification: group the positive values by binary exponent; drop whole groups from the
/// smallest exponent up while the dropped mass stays ≤ droppedMass · total; the threshold is 2^e of
/// the first group kept. The brute force sorts the values and walks the groups in order.
final class MassThresholdTests: XCTestCase {
    /// The brute-force threshold, or +∞ when every group may be dropped.
    static func bruteForce(_ values: [Double], droppedMass: Double) -> Double {
        let positive = values.filter { $0 > 0 }.sorted()
        let total = positive.reduce(0, +)
        let budget = droppedMass * total
        var dropped = 0.0
        var k = 0
        while k < positive.count {
            let exponent = positive[k].exponent
            var end = k, groupMass = 0.0
            while end < positive.count && positive[end].exponent == exponent {
                groupMass += positive[end]
                end += 1
            }
            if dropped + groupMass > budget { return Foundation.pow(2.0, Double(exponent)) }
            dropped += groupMass
            k = end
        }
        return .infinity
    }

    /// Properties that hold for any data, without relying on the order of floating-point sums.
    private func assertProperties(_ values: [Double], droppedMass: Double, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let threshold = MassThreshold.threshold(values, droppedMass: droppedMass)
        let positive = values.filter { $0 > 0 }.sorted()
        let total = positive.reduce(0, +)
        XCTAssertGreaterThan(threshold, 0, label, file: file, line: line)
        // A power of two (its significand is exactly one), or +∞ when everything may go.
        if threshold.isFinite {
            XCTAssertEqual(threshold.significand, 1, "\(label): threshold \(threshold) is not a power of two", file: file, line: line)
        }
        let dropped = positive.filter { $0 < threshold }.reduce(0, +)
        XCTAssertLessThanOrEqual(dropped, droppedMass * total * (1 + 1e-12), "\(label): dropped \(dropped) of \(total)", file: file, line: line)
        // Maximal: also dropping the whole group of the smallest kept value would exceed the budget.
        if let smallestKept = positive.first(where: { $0 >= threshold }) {
            let nextBoundary = Foundation.pow(2.0, Double(smallestKept.exponent + 1))
            let wouldDrop = positive.filter { $0 < nextBoundary }.reduce(0, +)
            XCTAssertGreaterThan(wouldDrop, droppedMass * total * (1 - 1e-12), "\(label): threshold not maximal", file: file, line: line)
            // Nothing lies strictly between the threshold's group and the smallest kept value's group.
            XCTAssertEqual(smallestKept.exponent, threshold.exponent, "\(label): threshold skips past empty groups", file: file, line: line)
        }
    }

    func testRandomUniformData() {
        var stream = SinkhornFixtures.stream("mass-threshold/uniform")
        for trial in 0..<20 {
            let count = 1 + stream.integer(below: 400)
            // Magnitudes spread over ~40 binary orders, like a transport plan at moderate η.
            let values = (0..<count).map { _ in Foundation.exp(-30 * stream.uniform()) }
            for budget in [0.0, 1e-6, 1e-3, 0.05, 0.5, 0.99] {
                assertProperties(values, droppedMass: budget, "trial \(trial), budget \(budget)")
                XCTAssertEqual(MassThreshold.threshold(values, droppedMass: budget), Self.bruteForce(values, droppedMass: budget),
                               "trial \(trial), budget \(budget)")
            }
        }
    }

    func testDyadicDataWithTiesIsExact() {
        // Small dyadic values: every partial sum is exact, so the comparison with the brute force
        // cannot be blurred by summation order, even with budgets that land exactly on a group's edge.
        var stream = SinkhornFixtures.stream("mass-threshold/dyadic")
        let mantissas: [Double] = [1, 1.5, 1.75, 1.25]
        for trial in 0..<30 {
            let count = 1 + stream.integer(below: 60)
            var values = (0..<count).map { _ in Foundation.scalbn(mantissas[stream.integer(below: 4)], -stream.integer(below: 12)) }
            values += Array(values.prefix(count / 2))  // exact ties
            values.append(0)                            // zeros are ignored
            let total = values.reduce(0, +)
            // Budgets exactly equal to cumulative group masses (the ≤ boundary), and just below.
            let sorted = values.filter { $0 > 0 }.sorted()
            var budgets: [Double] = [0, 0.25, 0.5]
            var cumulative = 0.0
            for value in sorted {
                cumulative += value
                budgets.append(cumulative / total)
            }
            for budget in budgets.prefix(12) {
                XCTAssertEqual(MassThreshold.threshold(values, droppedMass: budget), Self.bruteForce(values, droppedMass: budget),
                               "trial \(trial), budget \(budget)")
                assertProperties(values, droppedMass: budget, "dyadic trial \(trial), budget \(budget)")
            }
        }
    }

    func testSubnormalsAreBinnedByTheirTrueExponent() {
        // Subnormal sums are exact (fixed point at 2^−1074) while they stay subnormal.
        let tiny = Double.leastNonzeroMagnitude
        let values: [Double] = [tiny, tiny, 3 * tiny, 0x1p-1060, 0x1p-1060, 1.5 * 0x1p-1050, 0x1p-1030]
        XCTAssertTrue(values.allSatisfy { $0.isSubnormal })
        let total = values.reduce(0, +)
        XCTAssertTrue(total.isSubnormal)
        for budget in [0.0, 1e-9, 1e-6, 1e-4, 0.01, 0.3, 0.9] {
            let threshold = MassThreshold.threshold(values, droppedMass: budget)
            XCTAssertEqual(threshold, Self.bruteForce(values, droppedMass: budget), "budget \(budget)")
            assertProperties(values, droppedMass: budget, "subnormal budget \(budget)")
        }
        // No budget: the threshold is the smallest value's power of two, 2^−1074, and keeps everything.
        XCTAssertEqual(MassThreshold.threshold(values, droppedMass: 0), tiny)
        // Subnormals alongside normal mass: any positive budget drops them all, and nothing else.
        let mixed = values + [0.25, 0.5, 0.25]
        XCTAssertEqual(MassThreshold.threshold(mixed, droppedMass: 1e-9), 0.25)
        XCTAssertEqual(MassThreshold.threshold(mixed, droppedMass: 0), tiny)
    }

    func testDegenerateInputs() {
        // Nothing positive: whatever the threshold, it keeps no entry.
        for values in [[Double](), [0, 0, 0]] {
            let threshold = MassThreshold.threshold(values, droppedMass: 0.1)
            XCTAssertFalse(values.contains { $0 > 0 && $0 >= threshold })
        }
        // A single value is never dropped below a budget < 1.
        XCTAssertEqual(MassThreshold.threshold([0.3], droppedMass: 0.99), 0.25)
        // Equal values: one group, kept whole.
        XCTAssertEqual(MassThreshold.threshold([Double](repeating: 0.1, count: 50), droppedMass: 0.5), 0.0625)
    }

    func testZerosAndLanePlacementDoNotMoveTheThreshold() {
        // The pass spreads entries over lanes by index and bins zeros with subnormals: neither
        // the position of a value nor interleaved zeros may change the cut.
        var stream = SinkhornFixtures.stream("mass-threshold/zeros")
        let values = (0..<257).map { _ in Foundation.exp(-60 * stream.uniform()) }
        var padded: [Double] = []
        for (k, value) in values.enumerated() { padded += [Double](repeating: 0, count: k % 3) + [value] }
        let subnormal = values + [0x1p-1070, 0, 0x1p-1040]
        for budget in [0.0, 1e-9, 1e-4, 0.1] {
            let expected = Self.bruteForce(values, droppedMass: budget)
            XCTAssertEqual(MassThreshold.threshold(values, droppedMass: budget), expected, "budget \(budget)")
            XCTAssertEqual(MassThreshold.threshold(padded, droppedMass: budget), expected, "zeros, budget \(budget)")
            XCTAssertEqual(MassThreshold.threshold(Array(values.reversed()), droppedMass: budget), expected, "reversed, budget \(budget)")
            XCTAssertEqual(MassThreshold.threshold(subnormal, droppedMass: budget), Self.bruteForce(subnormal, droppedMass: budget),
                           "with subnormals, budget \(budget)")
        }
    }
}
