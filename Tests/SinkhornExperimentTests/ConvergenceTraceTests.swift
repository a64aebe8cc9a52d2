import HarnessCore
import XCTest
@testable import SinkhornExperiment

final class ConvergenceTraceTests: XCTestCase {
    func testFirstCrossingNotBest() {
        var trace = ConvergenceTrace()
        let errors = [1.0, 0.5, 0.1, 0.2, 0.01, 0.05]
        for (k, error) in errors.enumerated() { trace.record(iteration: 10 * k, seconds: 0.25 * Double(k), error: error) }
        XCTAssertEqual(trace.iterations(toReach: 2), 0)
        XCTAssertEqual(trace.iterations(toReach: 0.3), 20)
        XCTAssertEqual(trace.iterations(toReach: 0.1), 20, "the target is inclusive")
        XCTAssertEqual(trace.iterations(toReach: 0.099), 40, "the rise to 0.2 does not count")
        XCTAssertEqual(trace.iterations(toReach: 0.01), 40)
        XCTAssertNil(trace.iterations(toReach: 0.001))
        XCTAssertEqual(trace.seconds(toReach: 0.3), 0.5)
        XCTAssertNil(trace.seconds(toReach: 0.001))
        XCTAssertEqual(trace.finalError, 0.05)
        XCTAssertEqual(trace.iterations, 50)
        XCTAssertEqual(trace.points.count, errors.count)
    }

    func testEmptyTrace() {
        let trace = ConvergenceTrace()
        XCTAssertNil(trace.iterations(toReach: .infinity))
        XCTAssertTrue(trace.finalError.isNaN)
        XCTAssertEqual(trace.iterations, 0)
    }

    func testNaNErrorsNeverReachTheTarget() {
        var trace = ConvergenceTrace()
        trace.record(iteration: 0, seconds: 0, error: .nan)
        trace.record(iteration: 1, seconds: 0, error: 1e-3)
        XCTAssertEqual(trace.iterations(toReach: 1), 1)
    }

    func testSolverTracesStopAtTheFirstCrossing() throws {
        let problem = try ProblemGenerator.make(.pointClouds, n: 16, eta: 40, streams: RandomStreams(seed: 9))
        let target = 1e-8
        let sinkhorn = LogStabilizedSinkhorn(targetError: target, maxIterations: 100_000).solve(problem)
        XCTAssertTrue(sinkhorn.converged)
        XCTAssertEqual(sinkhorn.trace.iterations(toReach: target), sinkhorn.trace.iterations)
        XCTAssertEqual(sinkhorn.trace.points.map(\.iteration), Array(0...sinkhorn.trace.iterations), "one point per iteration")
        XCTAssertTrue(zip(sinkhorn.trace.points, sinkhorn.trace.points.dropFirst()).allSatisfy { $0.seconds <= $1.seconds })
        let sns = SinkhornNewtonSparse(targetError: target, warmupIterations: 7, maxNewtonIterations: 100, droppedMass: 1e-4).solve(problem)
        XCTAssertTrue(sns.converged)
        XCTAssertEqual(sns.trace.iterations(toReach: target), sns.trace.iterations)
        XCTAssertEqual(sns.trace.iterations, 7 + sns.newtonSteps)
        XCTAssertEqual(sns.trace.points.map(\.iteration), Array(0...sns.trace.iterations))
        XCTAssertEqual(sns.stepLengths.count, sns.newtonSteps)
        XCTAssertEqual(sns.conjugateGradientIterations.count, sns.newtonSteps)
        // A looser target is reached no later.
        XCTAssertLessThanOrEqual(try XCTUnwrap(sinkhorn.trace.iterations(toReach: 1e-4)), sinkhorn.trace.iterations)
    }

    func testFigureSampleKeepsTheHeadTheTailAndGeometricSpacing() {
        var trace = ConvergenceTrace()
        for k in 0...400_000 { trace.record(iteration: k, seconds: Double(k) * 1e-5, error: 1 / Double(k + 1)) }
        let sample = trace.sampledForFigures(dense: 100, growth: 1.01)
        XCTAssertEqual(sample.prefix(100).map(\.iteration), Array(0..<100), "every early iteration")
        XCTAssertEqual(sample.last, trace.points.last, "the final error is always drawn")
        XCTAssertLessThan(sample.count, 1_100)
        XCTAssertGreaterThan(sample.count, 800, "about 230 points per decade past the dense head")
        for (a, b) in zip(sample.dropFirst(100), sample.dropFirst(101)).dropLast() {
            XCTAssertGreaterThanOrEqual(Double(b.iteration), Double(a.iteration) * 1.01)
            XCTAssertLessThanOrEqual(Double(b.iteration), Double(a.iteration) * 1.01 + 1, "no gap wider than one step")
        }
        XCTAssertTrue(sample.allSatisfy { trace.points[$0.iteration] == $0 }, "points are copied, never interpolated")
    }

    func testFigureSampleOfAShortTraceIsTheTrace() {
        var trace = ConvergenceTrace()
        for k in 0..<30 { trace.record(iteration: k, seconds: 0, error: 1) }
        XCTAssertEqual(trace.sampledForFigures(), trace.points)
        XCTAssertEqual(ConvergenceTrace().sampledForFigures(), [])
    }
}
