import Foundation
import LinearAlgebra

/// The plan P(x, y)_ij = exp(η(x_i + y_j − C_ij) − 1) defined by dual potentials (x, y), and the
/// concave Lyapunov potential it maximises (Tang et al. 2024, Sec. 3, Eq. (3)–(4)):
///
///   f(x, y) = −(1/η) Σ_ij P(x, y)_ij + Σ_i r_i x_i + Σ_j c_j y_j,
///   ∇_x f = r − P1,   ∇_y f = c − Pᵀ1,
///   ∇²f = −η [[diag(P1), P], [Pᵀ, diag(Pᵀ1)]].
///
/// Exponents are formed from the potentials directly, so nothing overflows however large η is;
/// entries far below the row maxima underflow to zero, which is their correct value to double
/// precision.
public struct TransportPlan: Sendable {
    public var plan: Matrix
    public var rowSums: [Double]
    public var columnSums: [Double]
    /// f(x, y) at the potentials the plan was built from.
    public var potential: Double

    /// Builds P(x, y), its marginals and f(x, y) in one pass over C.
    public init(problem: EntropicOTProblem, x: [Double], y: [Double]) {
        let n = problem.rows, m = problem.columns, eta = problem.eta
        var plan = Matrix(rows: n, columns: m)
        var rowSums = [Double](repeating: 0, count: n)
        var columnSums = [Double](repeating: 0, count: m)
        let etaY = y.map { eta * $0 }
        plan.elements.withUnsafeMutableBufferPointer { p in
            problem.cost.elements.withUnsafeBufferPointer { cost in
                columnSums.withUnsafeMutableBufferPointer { columns in
                    for i in 0..<n {
                        let shift = eta * x[i] - 1
                        let row = i * m
                        var sum = 0.0
                        for j in 0..<m {
                            let value = Foundation.exp(shift + etaY[j] - eta * cost[row + j])
                            p[row + j] = value
                            sum += value
                            columns[j] += value
                        }
                        rowSums[i] = sum
                    }
                }
            }
        }
        var linear = 0.0
        for i in 0..<n { linear += problem.source[i] * x[i] }
        for j in 0..<m { linear += problem.target[j] * y[j] }
        self.plan = plan
        self.rowSums = rowSums
        self.columnSums = columnSums
        potential = linear - rowSums.reduce(0, +) / eta
    }

    /// ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁.
    public func marginalError(_ problem: EntropicOTProblem) -> Double {
        var error = 0.0
        for i in 0..<rowSums.count { error += abs(rowSums[i] - problem.source[i]) }
        for j in 0..<columnSums.count { error += abs(columnSums[j] - problem.target[j]) }
        return error
    }

    /// The gradient (r − P1, c − Pᵀ1), stacked.
    public func gradient(_ problem: EntropicOTProblem) -> [Double] {
        zip(problem.source, rowSums).map { $0 - $1 } + zip(problem.target, columnSums).map { $0 - $1 }
    }

    /// ⟨C, P⟩, the transport cost of the plan.
    public func transportCost(_ problem: EntropicOTProblem) -> Double {
        BLAS.dot(plan.elements, problem.cost.elements)
    }

    /// (−∇²f)·v = η [diag(P1) v_x + P v_y ; Pᵀ v_x + diag(Pᵀ1) v_y], densely (for tests and references).
    public func negativeHessianProduct(_ v: [Double], eta: Double) -> [Double] {
        let n = rowSums.count, m = columnSums.count
        let vx = Array(v[0..<n]), vy = Array(v[n..<(n + m)])
        let pvy = BLAS.gemv(plan, vy)
        let ptvx = BLAS.gemv(.transposed, plan, vx)
        return (0..<n).map { eta * (rowSums[$0] * vx[$0] + pvy[$0]) } + (0..<m).map { eta * (columnSums[$0] * vy[$0] + ptvx[$0]) }
    }
}
