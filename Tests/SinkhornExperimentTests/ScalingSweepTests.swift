import Foundation
import HarnessCore
import LinearAlgebra
import XCTest
@testable import SinkhornExperiment

/// The one-pass Sinkhorn sweep (`vk_sinkhorn_sweep_f64` behind `LogStabilizedSinkhorn.Scaling`)
/// against straightforward products and the textbook two-pass iteration, and on every ISA path
/// this CPU runs against the baseline path, bit for bit (AVX-512 only where the CPU has it).
final class ScalingSweepTests: XCTestCase {
    private func kernel(_ n: Int, _ m: Int, name: String) -> Matrix {
        Matrix(rows: n, columns: m, elements: SinkhornFixtures.stream(name).uniforms(n * m).map { 0.05 + $0 })
    }

    /// n, m not multiples of 8 or 16, so every tail runs.
    func testSweepComputesKvTheRowUpdateAndKtu() throws {
        let (n, m) = (37, 53)
        let problem = try SinkhornFixtures.rectangularProblem(n: n, m: m, eta: 10, name: "sweep/problem")
        let k = kernel(n, m, name: "sweep/K")
        for isa in VectorISA.runnable {
            try VectorISA.withPath(isa) {
                var scaling = LogStabilizedSinkhorn.Scaling(kernel: k)
                scaling.v = SinkhornFixtures.stream("sweep/v").uniforms(m).map { 0.5 + $0 }
                scaling.u = SinkhornFixtures.stream("sweep/u").uniforms(n).map { 0.5 + $0 }
                let error = scaling.sweep(problem)
                var expectedError = 0.0
                for i in 0..<n {
                    let kv = (0..<m).reduce(0.0) { $0 + k[i, $1] * scaling.v[$1] }
                    XCTAssertEqual(scaling.kv[i], kv, accuracy: 1e-14 * kv, "\(isa.rawValue) (Kv)_\(i)")
                    XCTAssertEqual(scaling.nextU[i], problem.source[i] / scaling.kv[i])
                    expectedError += abs(scaling.u[i] * kv - problem.source[i])
                }
                XCTAssertEqual(error, expectedError, accuracy: 1e-14)
                for j in 0..<m {
                    let ktu = (0..<n).reduce(0.0) { $0 + k[$1, j] * scaling.nextU[$1] }
                    XCTAssertEqual(scaling.ktu[j], ktu, accuracy: 1e-14 * ktu, "\(isa.rawValue) (Kᵀu)_\(j)")
                }
                // Accepting completes the iteration: u = r / K v, v = c / Kᵀ u.
                let (swept, next) = (scaling.ktu, scaling.nextU)
                scaling.acceptSweep(problem)
                XCTAssertEqual(scaling.u, next)
                XCTAssertEqual(scaling.v, (0..<m).map { problem.target[$0] / swept[$0] })
                // The separate passes (u = r / kv, then Kᵀ u) give the sweep's bits.
                scaling.updateScalings(problem)
                XCTAssertEqual(scaling.u, next)
                XCTAssertEqual(scaling.ktu.map(\.bitPattern), swept.map(\.bitPattern), "\(isa.rawValue)")
            }
        }
    }

    /// The textbook loop (u = r / K v, v = c / Kᵀ u, error ‖u ∘ K v − r‖₁ after each column update)
    /// with plain sums stops at the same iteration and reaches the same potentials.
    func testSameIterationsAsTheTwoPassLoop() throws {
        let problem = try SinkhornFixtures.rectangularProblem(n: 40, m: 29, eta: 25, name: "sweep/two-pass")
        let target = 1e-9
        let solved = LogStabilizedSinkhorn(targetError: target, maxIterations: 10_000).solve(problem)
        XCTAssertEqual(solved.absorptions, 0, "the reference below does not absorb")
        let (x0, y0) = LogStabilizedSinkhorn.initialPotentials(problem)
        let k = TransportPlan(problem: problem, x: x0, y: y0).plan
        let (n, m) = (k.rows, k.columns)
        var u = [Double](repeating: 1, count: n), v = [Double](repeating: 1, count: m)
        func kv() -> [Double] { (0..<n).map { i in (0..<m).reduce(0.0) { $0 + k[i, $1] * v[$1] } } }
        var products = kv()
        var error = (0..<n).reduce(0.0) { $0 + abs(products[$1] - problem.source[$1]) }
            + (0..<m).reduce(0.0) { j, c in j + abs((0..<n).reduce(0.0) { $0 + k[$1, c] } - problem.target[c]) }
        var iterations = 0
        while error > target && iterations < 10_000 {
            u = (0..<n).map { problem.source[$0] / products[$0] }
            v = (0..<m).map { j in problem.target[j] / (0..<n).reduce(0.0) { $0 + k[$1, j] * u[$1] } }
            products = kv()
            error = (0..<n).reduce(0.0) { $0 + abs(u[$1] * products[$1] - problem.source[$1]) }
            iterations += 1
        }
        XCTAssertGreaterThan(iterations, 10)
        XCTAssertEqual(solved.trace.points.count - 1, iterations)
        let x = (0..<n).map { x0[$0] + log(u[$0]) / problem.eta }, y = (0..<m).map { y0[$0] + log(v[$0]) / problem.eta }
        for i in 0..<n { XCTAssertEqual(solved.x[i], x[i], accuracy: 1e-12) }
        for j in 0..<m { XCTAssertEqual(solved.y[j], y[j], accuracy: 1e-12) }
    }

    /// The whole solver, with absorptions, on every path: the baseline's bits. (Random assignment
    /// at η = 400 needs more than the 5000 iterations allowed; the test is about paths agreeing.)
    func testEveryPathGivesTheBaselineBits() throws {
        let problem = try ProblemGenerator.make(.randomAssignment, n: 61, eta: 400, streams: RandomStreams(seed: SinkhornFixtures.seed))
        func solve() -> LogStabilizedSinkhorn.Result {
            var solver = LogStabilizedSinkhorn(targetError: 1e-10, maxIterations: 5_000)
            solver.absorptionThreshold = 4  // absorb often, so the restart path runs too
            return solver.solve(problem)
        }
        let baseline = VectorISA.withPath(.baseline, solve)
        XCTAssertGreaterThan(baseline.absorptions, 0, "the absorption path runs")
        // The error the solver reports is the plan's, measured from scratch.
        let error = SinkhornFixtures.marginalError(problem, TransportPlan(problem: problem, x: baseline.x, y: baseline.y).plan)
        XCTAssertEqual(error, baseline.trace.finalError, accuracy: 1e-6 * error)
        for isa in VectorISA.runnable where isa != .baseline {
            let other = VectorISA.withPath(isa, solve)
            XCTAssertEqual(other.x.map(\.bitPattern), baseline.x.map(\.bitPattern), isa.rawValue)
            XCTAssertEqual(other.y.map(\.bitPattern), baseline.y.map(\.bitPattern), isa.rawValue)
            XCTAssertEqual(other.trace.points.count, baseline.trace.points.count, isa.rawValue)
            XCTAssertEqual(other.absorptions, baseline.absorptions, isa.rawValue)
        }
    }
}
