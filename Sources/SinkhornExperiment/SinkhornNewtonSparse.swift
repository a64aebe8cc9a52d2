import Foundation
import HarnessCore
import LinearAlgebra

/// Sinkhorn-Newton-Sparse (Tang et al. 2024, Sec. 4, Alg. 1):
/// 1. N₁ Sinkhorn steps (early-stopped matrix scaling), then
/// 2. Newton steps on the concave Lyapunov potential f(x, y): the Hessian is sparsified to its
///    largest entries (`SparsifiedHessian`; the paper's rule keeps a fixed count ρn², ρ = 2/n by
///    default), the Newton system H Δ = ∇f is solved by conjugate gradient, and the step length
///    comes from a backtracking line search.
///
/// Iterations are counted as the paper counts them: the N₁ Sinkhorn steps plus one per Newton step.
public struct SinkhornNewtonSparse: Sendable {
    public var targetError: Double
    /// N₁: Sinkhorn steps before the switch to Newton.
    public var warmupIterations: Int
    public var maxNewtonIterations: Int
    /// Which plan entries the sparsified Hessian keeps (`SparsificationRule`).
    public var sparsification: SparsificationRule
    /// Ours, a diagnostic: when set, the result also reports the fraction of entries a mass budget
    /// of this size would keep at the switch point (`SparsifiedHessian.massBudgetKeptFraction`).
    public var diagnosticDroppedMass: Double?
    /// Armijo constant of the line search.
    public var sufficientIncrease = 1e-4
    /// Threads for plan evaluations (`TransportPlan`); results do not depend on it.
    public var threads = 1

    public init(targetError: Double = 1e-10, warmupIterations: Int = 20, maxNewtonIterations: Int = 100,
                sparsification: SparsificationRule) {
        self.targetError = targetError
        self.warmupIterations = warmupIterations
        self.maxNewtonIterations = maxNewtonIterations
        self.sparsification = sparsification
    }

    /// SNS with our mass-budget sparsification (`SparsificationRule.droppedMass`).
    public init(targetError: Double = 1e-10, warmupIterations: Int = 20, maxNewtonIterations: Int = 100, droppedMass: Double) {
        self.init(targetError: targetError, warmupIterations: warmupIterations, maxNewtonIterations: maxNewtonIterations,
                  sparsification: .droppedMass(droppedMass))
    }

    public struct Result: Sendable {
        public var x: [Double]
        public var y: [Double]
        /// Sinkhorn warm-up followed by Newton steps, on one timeline.
        public var trace: ConvergenceTrace
        public var converged: Bool
        public var newtonSteps: Int
        /// Kept fraction of the sparsified Hessian at the switch point (first Newton step).
        public var keptFractionAtSwitch: Double
        /// Share of the plan's mass the sparsified Hessian dropped at the switch point.
        public var droppedMassAtSwitch: Double
        /// Ours: the kept fraction `diagnosticDroppedMass` would need at the switch (NaN if unset).
        public var massBudgetKeptFractionAtSwitch: Double
        public var conjugateGradientIterations: [Int]
        public var stepLengths: [Double]
        /// ⟨C, P⟩ of the final plan.
        public var transportCost: Double
    }

    /// Solves H Δ = ∇f by Jacobi-preconditioned conjugate gradient: an inexact Newton step whose
    /// accuracy tightens with the marginal error (relative residual min(1e-2, error), floor 1e-14).
    public static func newtonDirection(gradient: [Double], hessian: SparsifiedHessian, error: Double) -> ConjugateGradient.Result {
        ConjugateGradient.solve(
            rhs: gradient, tolerance: max(1e-14, min(1e-2, error)), maxIterations: 4 * gradient.count,
            inverseDiagonal: hessian.inverseDiagonal
        ) { hessian.apply($0, $1) }
    }

    public func solve(_ problem: EntropicOTProblem) -> Result {
        let t0 = Stopwatch.now()
        let n = problem.rows, m = problem.columns
        var sinkhorn = LogStabilizedSinkhorn(targetError: targetError, maxIterations: warmupIterations)
        sinkhorn.threads = threads
        let warmup = sinkhorn.solve(problem, clock: t0)
        var trace = warmup.trace
        var x = warmup.x, y = warmup.y
        var current = TransportPlan(problem: problem, x: x, y: y, threads: threads)
        var error = current.marginalError(problem)
        var iteration = warmup.trace.iterations
        var newtonSteps = 0
        var keptAtSwitch = Double.nan, droppedAtSwitch = Double.nan, massBudgetKept = Double.nan
        var cgIterations: [Int] = [], stepLengths: [Double] = []

        while error > targetError && newtonSteps < maxNewtonIterations {
            let gradient = current.gradient(problem)
            let hessian = SparsifiedHessian(plan: current, eta: problem.eta, rule: sparsification)
            if newtonSteps == 0 {
                keptAtSwitch = hessian.keptFraction
                droppedAtSwitch = hessian.droppedMassFraction
                if let budget = diagnosticDroppedMass {
                    massBudgetKept = SparsifiedHessian.massBudgetKeptFraction(current, droppedMass: budget)
                }
            }
            // Inexact Newton: solve more accurately as the iterate converges.
            let solve = Self.newtonDirection(gradient: gradient, hessian: hessian, error: error)
            let direction = solve.solution
            cgIterations.append(solve.iterations)
            let slope = zip(gradient, direction).reduce(0) { $0 + $1.0 * $1.1 }
            var step = 1.0
            var accepted: TransportPlan?
            var trialX = x, trialY = y
            // Halve until the step no longer moves the potentials at double precision. (A fixed cap
            // of 40 halvings gave up on valid ascent directions: far from the optimum at large η the
            // near-singular Hessian makes ‖Δ‖∞ ~ 1e13, and the first acceptable step is ~2⁻⁵⁰.)
            let scale = max(1, x.reduce(0) { max($0, abs($1)) }, y.reduce(0) { max($0, abs($1)) })
            let largestMove = direction.reduce(0) { max($0, abs($1)) }
            while step * largestMove > 1e-17 * scale {
                for i in 0..<n { trialX[i] = x[i] + step * direction[i] }
                for j in 0..<m { trialY[j] = y[j] + step * direction[n + j] }
                let trial = TransportPlan(problem: problem, x: trialX, y: trialY, threads: threads)
                let increase = trial.potential - current.potential
                // Near convergence the predicted increase drops below rounding of f itself; then
                // the marginal error (the gradient's norm) decides instead.
                let resolvable = step * slope > 1e-13 * max(1, abs(current.potential))
                if resolvable ? increase >= sufficientIncrease * step * slope : trial.marginalError(problem) < error {
                    accepted = trial
                    break
                }
                step /= 2
            }
            guard let next = accepted else { break }  // no ascent possible at double precision
            x = trialX
            y = trialY
            current = next
            error = current.marginalError(problem)
            newtonSteps += 1
            iteration += 1
            stepLengths.append(step)
            trace.record(iteration: iteration, seconds: Stopwatch.now() - t0, error: error)
        }
        return Result(
            x: x, y: y, trace: trace, converged: error <= targetError, newtonSteps: newtonSteps,
            keptFractionAtSwitch: keptAtSwitch, droppedMassAtSwitch: droppedAtSwitch,
            massBudgetKeptFractionAtSwitch: massBudgetKept, conjugateGradientIterations: cgIterations, stepLengths: stepLengths,
            transportCost: current.transportCost(problem))
    }
}
