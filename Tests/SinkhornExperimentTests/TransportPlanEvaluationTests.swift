import Foundation
import HarnessCore
import LinearAlgebra
import XCTest
@testable import SinkhornExperiment

/// The plan evaluation built on `VectorExp`: bit-identical for any thread count, and in
/// agreement with the scalar `Foundation.exp` baseline. No timings are asserted here.
final class TransportPlanEvaluationTests: XCTestCase {
    private func problem(n: Int, eta: Double) throws -> EntropicOTProblem {
        try ProblemGenerator.make(.randomAssignment, n: n, eta: eta, streams: RandomStreams(seed: 7))
    }

    func testPlanIsBitIdenticalForAnyThreadCount() throws {
        let p = try problem(n: 301, eta: 300)
        let (x, y) = LogStabilizedSinkhorn.initialPotentials(p)
        let serial = TransportPlan(problem: p, x: x, y: y, threads: 1)
        for threads in [2, 3, 8] {
            let parallel = TransportPlan(problem: p, x: x, y: y, threads: threads)
            XCTAssertEqual(parallel.plan.elements.map(\.bitPattern), serial.plan.elements.map(\.bitPattern), "threads \(threads)")
            XCTAssertEqual(parallel.rowSums.map(\.bitPattern), serial.rowSums.map(\.bitPattern), "threads \(threads)")
            XCTAssertEqual(parallel.columnSums.map(\.bitPattern), serial.columnSums.map(\.bitPattern), "threads \(threads)")
            XCTAssertEqual(parallel.potential.bitPattern, serial.potential.bitPattern, "threads \(threads)")
        }
    }

    func testPlanAgreesWithScalarFoundationExpBaseline() throws {
        let p = try problem(n: 97, eta: 1000)
        let (x, y) = LogStabilizedSinkhorn.initialPotentials(p)
        let fast = TransportPlan(problem: p, x: x, y: y)
        let reference = TransportPlan.scalarReference(problem: p, x: x, y: y)
        for (a, b) in zip(fast.plan.elements, reference.plan.elements) {
            if b.isNormal { XCTAssertLessThanOrEqual(abs(a - b), 4 * b.ulp) } else { XCTAssertEqual(a, 0) }
        }
        for (a, b) in zip(fast.rowSums + fast.columnSums, reference.rowSums + reference.columnSums) {
            XCTAssertEqual(a, b, accuracy: 1e-14 * abs(b))
        }
        XCTAssertEqual(fast.potential, reference.potential, accuracy: 1e-13 * abs(reference.potential))
    }
}
