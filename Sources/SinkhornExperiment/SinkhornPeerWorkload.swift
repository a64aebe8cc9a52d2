import HarnessCore

/// The workload `claimbench perf --peers` gives POT (`peers/sinkhorn_pot.py`) at one size n: the
/// exact problem the benchmark times its Sinkhorn iteration on, and our transport cost after a
/// fixed number of iterations on it.
///
/// Our iteration runs on the kernel K = P(x₀, y₀) = exp(η(x₀ᵢ + y₀ⱼ − Cᵢⱼ) − 1) at the log-domain
/// starting potentials (`LogStabilizedSinkhorn.initialPotentials`); POT builds its kernel as
/// exp(−M/reg), so it gets M = C − x₀ ⊕ y₀ and reg = 1/η, the same kernel up to the factor e,
/// which the scalings absorb. Shifting C by row and column constants leaves the entropic problem's
/// plans unchanged; the transport cost is always ⟨P, C⟩ with the original C. Both start from
/// constant scalings; ours updates u (rows) first, POT updates v first, so the peer runs on the
/// transposed problem, and after the same number of iterations both plans are the same matrix up
/// to rounding.
extension SinkhornConvergenceExperiment {
    /// Iterations of the agreement check and of the peers' shorter timed run (the longer runs
    /// twice as many; the peers report time per added iteration): about 2·10⁷ kernel entries.
    static func peerIterations(_ n: Int) -> Int { max(10, sinkhornIterationsPerSample(n)) }

    static func peerWorkload(problem: EntropicOTProblem, x: [Double], y: [Double], repetitions: Int, threads: Int) -> PeerWorkload {
        let n = problem.rows, m = problem.columns
        let iterations = peerIterations(n)
        var scaling = LogStabilizedSinkhorn.Scaling(kernel: TransportPlan(problem: problem, x: x, y: y, threads: threads).plan)
        _ = scaling.startingError(problem)
        for _ in 0..<(2 * iterations) {
            scaling.updateScalings(problem)
            _ = scaling.rowError(problem)
        }
        var cost = 0.0
        for i in 0..<n {
            for j in 0..<m { cost += scaling.u[i] * scaling.kernel[i, j] * scaling.v[j] * problem.cost[i, j] }
        }
        return PeerWorkload(
            kind: "sinkhorn", name: "sinkhorn/n=\(n)",
            parameters: ["eta": problem.eta, "iterations": Double(iterations), "repetitions": Double(repetitions)],
            inputs: [
                "cost": NumPyArray(shape: [n, m], float64: problem.cost.elements),
                "x0": NumPyArray(shape: [n], float64: x), "y0": NumPyArray(shape: [m], float64: y),
                "source": NumPyArray(shape: [n], float64: problem.source), "target": NumPyArray(shape: [m], float64: problem.target),
            ],
            cases: [.init(name: "sinkhorn/n=\(n)", oursMetric: MetricName("n=\(n)/sinkhorn_iteration_seconds"),
                          oursOutput: NumPyArray(scalar: cost))])
    }
}
