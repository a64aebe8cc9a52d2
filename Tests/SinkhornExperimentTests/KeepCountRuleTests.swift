import Foundation
import HarnessCore
import LinearAlgebra
import XCTest
@testable import SinkhornExperiment

/// Alg. 1's fixed keep-count rule: exactly ⌈ρ·n·m⌉ entries, and the largest ones.
final class KeepCountRuleTests: XCTestCase {
    let n = 12, m = 15, eta = 30.0

    private func plan() throws -> TransportPlan {
        let problem = try SinkhornFixtures.rectangularProblem(n: n, m: m, eta: eta, name: "keep-count")
        let start = LogStabilizedSinkhorn.initialPotentials(problem)
        return TransportPlan(problem: problem, x: start.x, y: start.y)
    }

    func testKeptCountRounding() {
        // ρ = 2/n on a square plan keeps exactly 2n entries; fractions round up; bounds clamp.
        XCTAssertEqual(SparsificationRule.keptCount(perRow: 2, rows: 500, columns: 500), 1000)
        XCTAssertEqual(SparsificationRule.keptCount(perRow: 15, rows: 784, columns: 784), 11_760)
        XCTAssertEqual(SparsificationRule.keptCount(perRow: 2.5, rows: 3, columns: 3), 8)
        XCTAssertEqual(SparsificationRule.keptCount(perRow: 100, rows: 3, columns: 4), 12)
        XCTAssertEqual(SparsificationRule.keptCount(perRow: 1e-9, rows: 3, columns: 4), 1)
    }

    /// Against a brute-force sort: the same count, the same multiset of values, all ≥ every dropped one.
    func testKeepsExactlyTheLargestEntries() throws {
        let plan = try plan()
        let entries = plan.plan.elements
        let descending = entries.sorted(by: >)
        for perRow in [0.5, 1, 2, 5, 15] {
            let hessian = SparsifiedHessian(plan: plan, eta: eta, rule: .keepCount(perRow: perRow))
            let count = min(n * m, Int((perRow * Double(m)).rounded(.up)))  // ρn = 15 keeps all 180
            XCTAssertEqual(hessian.keptEntries, count, "ρn = \(perRow)")
            XCTAssertEqual(hessian.values.sorted(by: >), Array(descending.prefix(count)), "ρn = \(perRow): not the largest")
            let dropped = descending.dropFirst(count).reduce(0, +)
            XCTAssertEqual(hessian.droppedMassFraction, dropped / entries.reduce(0, +), accuracy: 1e-12, "ρn = \(perRow)")
            XCTAssertEqual(hessian.rowSums, plan.rowSums)
        }
    }

    /// Ties at the cut-off: exactly `count` kept, the first ties in row-major order.
    func testTiesKeepTheCountExactly() throws {
        let values: [Double] = [0.5, 0.25, 0.25, 0.25, 0.125, 0, 0.25, 1]
        let (threshold, above) = KeepCountThreshold.select(values, count: 4)
        XCTAssertEqual(threshold, 0.25)
        XCTAssertEqual(above, 2)
        XCTAssertEqual(KeepCountThreshold.select(values, count: 1).threshold, 1)
        XCTAssertEqual(KeepCountThreshold.select(values, count: 8).threshold, 0)
        XCTAssertEqual(KeepCountThreshold.select(values, count: 7).threshold, 0.125)

        // The same values as a 2 × 4 plan; ρn = 1 keeps ⌈1 · 4⌉ = 4 entries: 1, 0.5 and the
        // first two of the four 0.25s in row-major order (row 0, columns 1 and 2).
        let plan = try TransportPlanFixture.plan(rows: 2, columns: 4, entries: values)
        let half = SparsifiedHessian(plan: plan, eta: 1, rule: .keepCount(perRow: 1))
        XCTAssertEqual(half.values, [0.5, 0.25, 0.25, 1])
        XCTAssertEqual(half.columnIndex, [0, 1, 2, 3])
        XCTAssertEqual(half.rowStart, [0, 3, 4])
        XCTAssertEqual(half.droppedMassFraction, 0.625 / 2.625, accuracy: 1e-15)
        XCTAssertEqual(SparsifiedHessian(plan: plan, eta: 1, rule: .keepCount(perRow: 2)).keptEntries, 8)
    }

    /// Values spanning every binade, including subnormals, and many equal ones in one 16-bit bin.
    func testSelectionAgreesWithSortOnWideRanges() {
        var stream = SinkhornFixtures.stream("keep-count/wide")
        let values = (0..<3000).map { k -> Double in
            switch k % 4 {
            case 0: return Foundation.pow(2, -1070 * stream.uniform())
            case 1: return Double.leastNonzeroMagnitude * Double(1 + k % 7)
            case 2: return 0.3 + 1e-12 * Double(k % 5)
            default: return 0
            }
        }
        let sorted = values.sorted(by: >)
        for count in [1, 2, 10, 749, 750, 751, 1500, 2249, 2250, 2251, 3000] {
            let (threshold, above) = KeepCountThreshold.select(values, count: count)
            XCTAssertEqual(threshold, sorted[count - 1], "count \(count)")
            XCTAssertEqual(above, sorted.filter { $0 > threshold }.count, "count \(count)")
        }
    }
}

/// A `TransportPlan` with given entries (marginals = its row and column sums), for rule tests.
enum TransportPlanFixture {
    static func plan(rows: Int, columns: Int, entries: [Double]) throws -> TransportPlan {
        let problem = try EntropicOTProblem(
            source: [Double](repeating: 1 / Double(rows), count: rows), target: [Double](repeating: 1 / Double(columns), count: columns),
            cost: Matrix(rows: rows, columns: columns), eta: 1)
        var plan = TransportPlan(problem: problem, x: [Double](repeating: 0, count: rows), y: [Double](repeating: 0, count: columns))
        plan.plan = Matrix(rows: rows, columns: columns, elements: entries)
        plan.rowSums = (0..<rows).map { i in (0..<columns).reduce(0) { $0 + entries[i * columns + $1] } }
        plan.columnSums = (0..<columns).map { j in (0..<rows).reduce(0) { $0 + entries[$1 * columns + j] } }
        return plan
    }
}

/// SNS with Alg. 1's rule reaches the optimum Sinkhorn reaches (the entropic plan is unique).
final class KeepCountSNSTests: XCTestCase {
    func testSNSAtThePapersRhoReachesSinkhornsPlan() throws {
        for (name, n, m, eta) in [("square", 30, 30, 60.0), ("rect", 9, 14, 30.0)] {
            let problem = try SinkhornFixtures.rectangularProblem(n: n, m: m, eta: eta, name: "keep-count-sns/" + name)
            let sinkhorn = LogStabilizedSinkhorn(targetError: 1e-11, maxIterations: 200_000).solve(problem)
            let sns = SinkhornNewtonSparse(targetError: 1e-11, warmupIterations: 10, maxNewtonIterations: 200,
                                           sparsification: .keepCount(perRow: 2)).solve(problem)
            XCTAssertTrue(sinkhorn.converged && sns.converged, name)
            XCTAssertGreaterThan(sns.newtonSteps, 0, name)
            // ρ as kept at the switch: ⌈2m⌉ of n·m entries; some mass was dropped, not all.
            XCTAssertEqual(sns.keptFractionAtSwitch, Double(2 * m) / Double(n * m), name)
            XCTAssertGreaterThan(sns.droppedMassAtSwitch, 0, name)
            XCTAssertLessThan(sns.droppedMassAtSwitch, 1, name)
            XCTAssertTrue(sns.massBudgetKeptFractionAtSwitch.isNaN, "diagnostic unset")
            let a = TransportPlan(problem: problem, x: sinkhorn.x, y: sinkhorn.y).plan
            let b = TransportPlan(problem: problem, x: sns.x, y: sns.y).plan
            XCTAssertLessThan(SinkhornFixtures.maxAbs(zip(a.elements, b.elements).map { $0 - $1 }), 1e-10, name)
        }
    }

    func testDiagnosticMassBudgetIsReportedNotUsed() throws {
        let problem = try SinkhornFixtures.rectangularProblem(n: 20, m: 20, eta: 40, name: "keep-count-sns/diagnostic")
        var solver = SinkhornNewtonSparse(targetError: 1e-10, warmupIterations: 5, maxNewtonIterations: 200,
                                          sparsification: .keepCount(perRow: 2))
        let plain = solver.solve(problem)
        solver.diagnosticDroppedMass = 1e-7
        let diagnosed = solver.solve(problem)
        XCTAssertEqual(plain.x, diagnosed.x, "the diagnostic must not change the iterates")
        XCTAssertEqual(plain.trace.iterations, diagnosed.trace.iterations)
        XCTAssertGreaterThan(diagnosed.massBudgetKeptFractionAtSwitch, diagnosed.keptFractionAtSwitch)
        XCTAssertLessThanOrEqual(diagnosed.massBudgetKeptFractionAtSwitch, 1)
    }

    func testLargestGrowth() {
        XCTAssertEqual(SparsitySweep.largestGrowth([0.4, 0.2, 0.1]), 0.5)
        XCTAssertEqual(SparsitySweep.largestGrowth([0.4, 0.2, 0.3]), 1.5, accuracy: 1e-15)
        XCTAssertEqual(SparsitySweep.largestGrowth([0, 0]), 1)
        XCTAssertEqual(SparsitySweep.largestGrowth([0, 0.1]), .infinity)
        XCTAssertTrue(SparsitySweep.largestGrowth([0.3]).isNaN)
    }
}
