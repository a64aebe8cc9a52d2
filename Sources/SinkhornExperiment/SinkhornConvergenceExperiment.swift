import Foundation
import HarnessCore
import LinearAlgebra

/// The `sinkhorn` suite: Sinkhorn vs Sinkhorn-Newton-Sparse on the paper's problem families
/// (Tang et al. 2024, Sec. 6, Fig. 1–3, Table 1), swept over size n and inverse regularisation η.
///
/// For every (case, n, η) both solvers run to the same marginal-error target; metrics are named
/// `<case>/n=<n>/eta=<η>/<metric>`:
/// - `sinkhorn_iterations`, `sns_iterations` (N₁ warm-up + Newton steps), `newton_steps`;
/// - `iteration_ratio` = Sinkhorn / SNS iterations. When Sinkhorn stops at its iteration cap
///   without reaching the target, the ratio is a lower bound, stored as the interval [ratio, ∞);
/// - `kept_fraction`: the share of Hessian entries SNS keeps at the switch point (measured ρ);
/// - `transport_cost_sinkhorn`, `transport_cost_sns`, `cost_relative_difference`;
/// - `problem_checksum` (exact): a checksum of the generated cost and marginals' bits;
/// - `sinkhorn_seconds`, `sns_seconds`, `wall_time_ratio` (timing; never golden-compared).
public enum SinkhornConvergenceExperiment: Experiment {
    public struct Parameters: Encodable, Sendable {
        public var cases: [TransportCase]
        public var n: [Int]
        public var eta: [Double]
        public var targetError: Double
        public var maxSinkhornIterations: Int
        public var warmupSinkhornSteps: Int
        public var maxNewtonIterations: Int
        /// Largest share of the plan's mass the sparsified Hessian may drop.
        public var droppedMass: Double

        enum CodingKeys: String, CodingKey {
            case cases, n, eta, targetError = "target_error", maxSinkhornIterations = "max_sinkhorn_iterations"
            case warmupSinkhornSteps = "warmup_sinkhorn_steps", maxNewtonIterations = "max_newton_iterations"
            case droppedMass = "dropped_mass"
        }
    }

    public static let id: ExperimentID = "sinkhorn.convergence"

    /// n above which one n × n Float64 matrix exceeds 1 GiB; the solvers hold about four.
    static let largestSize = 11_585

    public static func decodeParameters(_ table: ParameterTable) throws -> Parameters {
        let parameters = Parameters(
            cases: try table.required("cases"),
            n: try table.required("n"),
            eta: try table.required("eta"),
            targetError: try table.value("target_error", default: 1e-10),
            maxSinkhornIterations: try table.required("max_sinkhorn_iterations"),
            warmupSinkhornSteps: try table.value("warmup_sinkhorn_steps", default: 20),
            maxNewtonIterations: try table.value("max_newton_iterations", default: 100),
            droppedMass: try table.value("dropped_mass", default: 1e-4))
        try table.finish()
        if parameters.cases.isEmpty { throw table.error("cases", "name at least one case") }
        if let bad = parameters.n.first(where: { $0 < 2 || $0 > largestSize }) {
            throw table.error("n", "size \(bad) out of range 2…\(largestSize) (an n × n Float64 matrix takes 8n² bytes and the solvers hold about four)")
        }
        if let bad = parameters.eta.first(where: { !($0 > 0) || !$0.isFinite }) {
            throw table.error("eta", "inverse regularisation must be positive and finite, got \(bad)")
        }
        if !(parameters.targetError > 0) { throw table.error("target_error", "must be positive, got \(parameters.targetError)") }
        if parameters.maxSinkhornIterations < 1 { throw table.error("max_sinkhorn_iterations", "must be at least 1") }
        if parameters.warmupSinkhornSteps < 0 { throw table.error("warmup_sinkhorn_steps", "must be non-negative") }
        if parameters.maxNewtonIterations < 1 { throw table.error("max_newton_iterations", "must be at least 1") }
        if !(parameters.droppedMass >= 0 && parameters.droppedMass < 1) {
            throw table.error("dropped_mass", "must be in [0, 1), got \(parameters.droppedMass)")
        }
        try checkBounds(parameters, table)
        return parameters
    }

    public static func run(_ parameters: Parameters, context: RunContext) throws -> ExperimentOutput {
        var output = ExperimentOutput()
        var convergence = CSVTable(columns: ["case", "n", "eta", "method", "iteration", "seconds", "error"])
        var iterationRows: [(kind: TransportCase, n: Int, method: String, eta: Double, iterations: Int, converged: Bool)] = []
        let grid = parameters.cases.flatMap { kind in parameters.n.flatMap { n in parameters.eta.map { (kind, n, $0) } } }
        for (index, (kind, n, eta)) in grid.enumerated() {
            let label = "\(kind.rawValue)/n=\(n)/eta=\(Self.format(eta))"
            context.progress.update(done: index, total: grid.count, detail: label)
            let problem = try ProblemGenerator.make(kind, n: n, eta: eta, streams: context.streams)
            let comparison = SolverComparison(problem: problem, parameters: parameters, threads: context.threads)
            for (name, metric) in comparison.metrics(problem: problem) { output.metrics[MetricName("\(label)/\(name)")] = metric }
            for (method, trace, converged) in [("sinkhorn", comparison.sinkhorn.trace, comparison.sinkhorn.converged),
                                               ("sns", comparison.sns.trace, comparison.sns.converged)] {
                for point in trace.sampledForFigures() {
                    convergence.append([.text(kind.rawValue), .integer(n), .number(eta), .text(method),
                                        .integer(point.iteration), .number(point.seconds), .number(point.error)])
                }
                iterationRows.append((kind, n, method, eta, trace.iterations, converged))
            }
        }
        // One contiguous block per (case, n, method), η ascending, so each series plots as a line.
        var iterationsTable = CSVTable(columns: ["case", "n", "eta", "method", "iterations", "converged"])
        let caseOrder = Dictionary(uniqueKeysWithValues: parameters.cases.enumerated().map { ($1, $0) })
        for row in iterationRows.sorted(by: { a, b in
            (caseOrder[a.kind]!, a.n, a.method, a.eta) < (caseOrder[b.kind]!, b.n, b.method, b.eta)
        }) {
            iterationsTable.append([.text(row.kind.rawValue), .integer(row.n), .number(row.eta), .text(row.method),
                                    .integer(row.iterations), .integer(row.converged ? 1 : 0)])
        }
        context.progress.update(done: grid.count, total: grid.count, detail: "done")
        output.tables = ["convergence.csv": convergence, "iterations_vs_eta.csv": iterationsTable]
        output.notes["error_definition"] = "‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁ of the current plan"
        output.notes["iteration_count"] = "SNS iterations = Sinkhorn warm-up steps + Newton steps (Tang et al. 2024, Table 1)"
        return output
    }

    /// η as it appears in metric names: shortest round-trip form, no trailing ".0".
    static func format(_ eta: Double) -> String {
        eta == eta.rounded() && abs(eta) < 1e15 ? String(Int(eta)) : "\(eta)"
    }
}

/// Both solvers on one problem, and the metrics comparing them.
struct SolverComparison {
    let sinkhorn: LogStabilizedSinkhorn.Result
    let sns: SinkhornNewtonSparse.Result
    let sinkhornSeconds: Double
    let snsSeconds: Double
    let sinkhornCost: Double
    let targetError: Double

    /// `threads` parallelises plan evaluations only; every result is bit-identical for any value.
    init(problem: EntropicOTProblem, parameters: SinkhornConvergenceExperiment.Parameters, threads: Int = 1) {
        targetError = parameters.targetError
        var sinkhornResult: LogStabilizedSinkhorn.Result?
        sinkhornSeconds = Stopwatch.time {
            var solver = LogStabilizedSinkhorn(targetError: parameters.targetError, maxIterations: parameters.maxSinkhornIterations)
            solver.threads = threads
            sinkhornResult = solver.solve(problem)
        }
        sinkhorn = sinkhornResult!
        var snsResult: SinkhornNewtonSparse.Result?
        snsSeconds = Stopwatch.time {
            var solver = SinkhornNewtonSparse(
                targetError: parameters.targetError, warmupIterations: parameters.warmupSinkhornSteps,
                maxNewtonIterations: parameters.maxNewtonIterations, droppedMass: parameters.droppedMass)
            solver.threads = threads
            snsResult = solver.solve(problem)
        }
        sns = snsResult!
        sinkhornCost = TransportPlan(problem: problem, x: sinkhorn.x, y: sinkhorn.y, threads: threads).transportCost(problem)
    }

    /// baseline / candidate, with what a capped run implies: a Sinkhorn run stopped at its cap
    /// makes the ratio a lower bound [r, ∞); an SNS run stopped at its cap makes it an upper
    /// bound [0, r]; when both stopped nothing is known (NaN).
    func speedup(_ baseline: Double, over candidate: Double) -> (Double, MetricInterval?) {
        let value = baseline / candidate
        switch (sinkhorn.converged, sns.converged) {
        case (true, true): return (value, nil)
        case (false, true): return (value, MetricInterval(lower: value, upper: .infinity, level: nil))
        case (true, false): return (value, MetricInterval(lower: 0, upper: value, level: nil))
        case (false, false): return (.nan, nil)
        }
    }

    func metrics(problem: EntropicOTProblem) -> [String: Metric] {
        let sinkhornIterations = Double(sinkhorn.trace.iterations)
        let snsIterations = Double(sns.trace.iterations)
        let (ratio, ratioBound) = speedup(sinkhornIterations, over: max(snsIterations, 1))
        let (timeRatio, timeBound) = speedup(sinkhornSeconds, over: snsSeconds)
        let difference = abs(sns.transportCost - sinkhornCost) / abs(sinkhornCost)
        return [
            "sinkhorn_iterations": .numeric(sinkhornIterations),
            "sinkhorn_converged": .exact(sinkhorn.converged ? 1 : 0),
            "sns_iterations": .numeric(snsIterations),
            "sns_converged": .exact(sns.converged ? 1 : 0),
            "newton_steps": .numeric(Double(sns.newtonSteps)),
            "iteration_ratio": .numeric(ratio, unit: "x", interval: ratioBound),
            "kept_fraction": .numeric(sns.keptFractionAtSwitch),
            "transport_cost_sinkhorn": .numeric(sinkhornCost),
            "transport_cost_sns": .numeric(sns.transportCost),
            // Only meaningful when both reached the target.
            "cost_relative_difference": .numeric(sinkhorn.converged && sns.converged ? difference : .nan),
            "problem_checksum": .exact(ProblemChecksum.of(problem)),
            "sinkhorn_seconds": .timing(sinkhornSeconds, unit: "s"),
            "sns_seconds": .timing(snsSeconds, unit: "s"),
            "wall_time_ratio": .timing(timeRatio, unit: "x", interval: timeBound),
        ]
    }
}

/// A checksum of a problem's bits (cost, then source and target marginals), exact on any
/// machine (`BitChecksum`: integer FNV-1a over the IEEE-754 bit patterns).
enum ProblemChecksum {
    static func of(_ problem: EntropicOTProblem) -> Double {
        var checksum = BitChecksum()
        checksum.add(problem.cost.elements)
        checksum.add(problem.source)
        checksum.add(problem.target)
        return checksum.value
    }
}
