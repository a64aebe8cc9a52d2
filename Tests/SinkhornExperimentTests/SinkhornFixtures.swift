import HarnessCore
import LinearAlgebra
@testable import SinkhornExperiment

/// Shared builders for the Sinkhorn tests. All randomness comes from the project's named streams.
enum SinkhornFixtures {
    static let seed: UInt64 = 20_240_507

    static func stream(_ name: String, seed: UInt64 = seed) -> RandomStream {
        RandomStreams(seed: seed).stream("tests/sinkhorn/" + name)
    }

    /// `count` positive weights in [0.5, 1.5), normalised to sum to one.
    static func marginal(_ count: Int, name: String) -> [Double] {
        let raw = stream(name).uniforms(count).map { 0.5 + $0 }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    /// A non-square problem (n ≠ m catches transposition mistakes) with cost in [0, 1).
    static func rectangularProblem(n: Int, m: Int, eta: Double, name: String) throws -> EntropicOTProblem {
        try EntropicOTProblem(
            source: marginal(n, name: name + "/r"), target: marginal(m, name: name + "/c"),
            cost: Matrix(rows: n, columns: m, elements: stream(name + "/C").uniforms(n * m)), eta: eta)
    }

    /// ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁ summed straight from the matrix entries (not from `rowSums`).
    static func marginalError(_ problem: EntropicOTProblem, _ plan: Matrix) -> Double {
        var error = 0.0
        for i in 0..<plan.rows {
            var sum = 0.0
            for j in 0..<plan.columns { sum += plan[i, j] }
            error += abs(sum - problem.source[i])
        }
        for j in 0..<plan.columns {
            var sum = 0.0
            for i in 0..<plan.rows { sum += plan[i, j] }
            error += abs(sum - problem.target[j])
        }
        return error
    }

    /// ⟨C, P⟩ summed straight from the entries.
    static func transportCost(_ problem: EntropicOTProblem, _ plan: Matrix) -> Double {
        dot(problem.cost.elements, plan.elements)
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        var sum = 0.0
        for k in a.indices { sum += a[k] * b[k] }
        return sum
    }

    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    static func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }

    /// H·v for a `SparsifiedHessian`, through its buffer API.
    static func apply(_ hessian: SparsifiedHessian, _ v: [Double]) -> [Double] {
        var out = [Double](repeating: .nan, count: v.count)
        v.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in hessian.apply(input, output) }
        }
        return out
    }

    /// All permutations of 0..<n (Heap's algorithm), for brute-force assignment.
    static func permutations(_ n: Int) -> [[Int]] {
        var result: [[Int]] = []
        var a = Array(0..<n)
        var c = [Int](repeating: 0, count: n)
        result.append(a)
        var i = 0
        while i < n {
            if c[i] < i {
                if i % 2 == 0 { a.swapAt(0, i) } else { a.swapAt(c[i], i) }
                result.append(a)
                c[i] += 1
                i = 0
            } else {
                c[i] = 0
                i += 1
            }
        }
        return result
    }
}
