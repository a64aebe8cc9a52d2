import Foundation
import HarnessCore
import ImageDatasets
import LinearAlgebra

/// The `sinkhorn` suite: Sinkhorn vs Sinkhorn-Newton-Sparse on the paper's problem families
/// (Tang et al. 2024, Sec. 6, Fig. 1–3, Table 1), swept over size n and inverse regularisation η.
/// SNS is Alg. 1 with its fixed keep-count rule: N₁ Sinkhorn steps, then Newton steps whose
/// Hessian keeps the ρn² largest plan entries (ρ = 2/n, or the case's `per_case` value).
///
/// For every (case, n, η) both solvers run to the same marginal-error target; metrics are named
/// `<case>/n=<n>/eta=<η>/<metric>` (`SolverComparison.metrics`):
/// - `sinkhorn_iterations`, `sns_iterations` (N₁ warm-up + Newton steps), `newton_steps`,
///   `sinkhorn_converged`, `sns_converged`;
/// - `iteration_ratio` = Sinkhorn / SNS iterations. When Sinkhorn stops at its iteration cap
///   without reaching the target, the ratio is a lower bound, stored as the interval [ratio, ∞);
/// - `kept_fraction` (ρ as kept) and `dropped_mass_at_switch`: the share of the plan's mass the
///   keep-count rule drops at the first Newton step;
/// - `mass_budget_kept_fraction` (ours, a diagnostic): the share of entries that must be kept to
///   drop at most `diagnostic_dropped_mass` of the mass at that point;
/// - `transport_cost_sinkhorn`, `transport_cost_sns`, `cost_relative_difference`;
/// - `problem_checksum` (exact): a checksum of the generated cost and marginals' bits;
/// - `sinkhorn_seconds`, `sns_seconds`, `wall_time_ratio` (timing; never golden-compared).
///
/// Per (case, n), the sparsity sweep (`SparsitySweep`) adds `sparsity/eta=<η>/dropped_mass`,
/// `sparsity/warmup=<N>/dropped_mass` and their largest consecutive growth,
/// `sparsity/dropped_mass_growth_eta` and `sparsity/dropped_mass_growth_warmup`.
///
/// With `replicates` R ≥ 2, random assignment is also solved on R independent instances per
/// (n, η) (replicate 0 is the main one): `replicates/sns_iterations` and
/// `replicates/iteration_ratio` are `stochastic` means with standard errors and 95% t intervals.
public enum SinkhornConvergenceExperiment: Experiment {
    public static let id: ExperimentID = "sinkhorn.convergence"

    public static func run(_ parameters: Parameters, context: RunContext) throws -> ExperimentOutput {
        var output = ExperimentOutput()
        let images = try loadImages(parameters, output: &output)
        if let images {
            let (first, second) = ProblemGenerator.imagePair(count: images.images.count, streams: context.streams)
            output.notes["fashion_mnist_pair"] = "test-split images \(first) (label \(images.images.labels[first])) → \(second) (label \(images.images.labels[second]))"
        }
        var convergence = CSVTable(columns: ["case", "n", "eta", "method", "iteration", "seconds", "error"])
        var iterationRows: [(kind: TransportCase, n: Int, method: String, eta: Double, iterations: Int, converged: Bool)] = []
        var sparsity = CSVTable(columns: ["case", "n", "eta", "warmup", "dropped_mass", "mass_budget_kept_fraction"])
        let grid = parameters.cases.flatMap { kind in parameters.sizes(for: kind).flatMap { n in parameters.eta.map { (kind, n, $0) } } }
        for (index, (kind, n, eta)) in grid.enumerated() {
            let label = "\(kind.rawValue)/n=\(n)/eta=\(Self.format(eta))"
            context.progress.update(done: index, total: grid.count, detail: label)
            let settings = parameters.settings(for: kind)
            let problem = try ProblemGenerator.make(kind, n: n, eta: eta, streams: context.streams, images: images)
            let comparison = SolverComparison(problem: problem, parameters: parameters, settings: settings, threads: context.threads)
            for (name, metric) in comparison.metrics(problem: problem) { output.metrics[MetricName("\(label)/\(name)")] = metric }
            for (method, trace, converged) in [("sinkhorn", comparison.sinkhorn.trace, comparison.sinkhorn.converged),
                                               ("sns", comparison.sns.trace, comparison.sns.converged)] {
                for point in trace.sampledForFigures() {
                    convergence.append([.text(kind.rawValue), .integer(n), .number(eta), .text(method),
                                        .integer(point.iteration), .number(point.seconds), .number(point.error)])
                }
                iterationRows.append((kind, n, method, eta, trace.iterations, converged))
            }
            if kind == .randomAssignment && parameters.replicates >= 2 {
                var comparisons = [comparison]
                for replicate in 1..<parameters.replicates {
                    let instance = try ProblemGenerator.make(kind, n: n, eta: eta, streams: context.streams, replicate: replicate)
                    comparisons.append(SolverComparison(problem: instance, parameters: parameters, settings: settings, threads: context.threads))
                }
                for (name, metric) in replicateMetrics(comparisons) { output.metrics[MetricName("\(label)/replicates/\(name)")] = metric }
            }
        }
        for kind in parameters.cases {
            for n in parameters.sizes(for: kind) {
                let points = try sweep(kind, n: n, parameters: parameters, context: context, images: images)
                let label = "\(kind.rawValue)/n=\(n)/sparsity"
                for point in points.eta + points.warmup {
                    sparsity.append([.text(kind.rawValue), .integer(n), .number(point.eta), .integer(point.warmup),
                                     .number(point.droppedMass), .number(point.massBudgetKeptFraction)])
                }
                for point in points.eta {
                    output.metrics[MetricName("\(label)/eta=\(Self.format(point.eta))/dropped_mass")] = .numeric(point.droppedMass)
                }
                for point in points.warmup {
                    output.metrics[MetricName("\(label)/warmup=\(point.warmup)/dropped_mass")] = .numeric(point.droppedMass)
                }
                output.metrics[MetricName("\(label)/dropped_mass_growth_eta")] =
                    .numeric(SparsitySweep.largestGrowth(points.eta.map(\.droppedMass)))
                output.metrics[MetricName("\(label)/dropped_mass_growth_warmup")] =
                    .numeric(SparsitySweep.largestGrowth(points.warmup.map(\.droppedMass)))
            }
        }
        // One contiguous block per (case, n, method), η ascending, so each series plots as a line.
        var iterationsTable = CSVTable(columns: ["case", "n", "eta", "method", "iterations", "converged"])
        func order(_ kind: TransportCase) -> Int { parameters.cases.firstIndex(of: kind)! }
        for row in iterationRows.sorted(by: { a, b in (order(a.kind), a.n, a.method, a.eta) < (order(b.kind), b.n, b.method, b.eta) }) {
            iterationsTable.append([.text(row.kind.rawValue), .integer(row.n), .number(row.eta), .text(row.method),
                                    .integer(row.iterations), .integer(row.converged ? 1 : 0)])
        }
        context.progress.update(done: grid.count, total: grid.count, detail: "done")
        output.tables = ["convergence.csv": convergence, "iterations_vs_eta.csv": iterationsTable, "sparsity.csv": sparsity]
        output.notes["error_definition"] = "‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁ of the current plan"
        output.notes["iteration_count"] = "SNS iterations = Sinkhorn warm-up steps + Newton steps (Tang et al. 2024, Table 1)"
        output.notes["sparsification"] = "SNS keeps the ⌈ρn²⌉ largest plan entries (Alg. 1); mass_budget_kept_fraction is our diagnostic"
        return output
    }

    /// The Fashion-MNIST test split when an image case is asked for (else nil); its checksum
    /// becomes an exact metric and the drawn pair a note.
    static func loadImages(_ parameters: Parameters, output: inout ExperimentOutput) throws -> ImageInputs? {
        guard parameters.cases.contains(where: { $0.fixedSize != nil }) else { return nil }
        let images = try FashionMNIST.load(.test, directory: parameters.fashionMnistDirectory)
        output.metrics["fashion-mnist/test_split_checksum"] = .exact(Double(images.checksum.combined & ((1 << 53) - 1)))
        output.metrics["fashion-mnist/test_split_images"] = .exact(images.count)
        return ImageInputs(images: images, pixelFloor: parameters.pixelFloor)
    }

    /// The sparsity sweep of one (case, n): over `sparsity_eta` at the case's N₁, and over
    /// `sparsity_warmup_factors` × N₁ at the largest η of the grid.
    static func sweep(_ kind: TransportCase, n: Int, parameters: Parameters, context: RunContext, images: ImageInputs?)
        throws -> (eta: [SparsitySweep.Point], warmup: [SparsitySweep.Point]) {
        let settings = parameters.settings(for: kind)
        func point(eta: Double, warmup: Int) throws -> SparsitySweep.Point {
            let problem = try ProblemGenerator.make(kind, n: n, eta: eta, streams: context.streams, images: images)
            return SparsitySweep.point(problem, warmup: warmup, rule: settings.sparsification,
                                       diagnosticDroppedMass: parameters.diagnosticDroppedMass, threads: context.threads)
        }
        let largestEta = parameters.eta.max()!
        return (try parameters.sparsityEta.map { try point(eta: $0, warmup: settings.warmupSinkhornSteps) },
                try parameters.sparsityWarmupFactors.map { try point(eta: largestEta, warmup: $0 * settings.warmupSinkhornSteps) })
    }

    /// Stochastic means over random-assignment instances. When Sinkhorn stopped at its cap on
    /// some instance, that ratio is only a lower bound, so the mean's interval is open above
    /// ([t-interval's lower end, ∞)); when SNS stopped at its cap anywhere, the mean ratio is NaN.
    static func replicateMetrics(_ comparisons: [SolverComparison]) -> [String: Metric] {
        var ratio = Metric.stochastic(samples: comparisons.map(\.iterationRatio.0), unit: "x")
        if comparisons.contains(where: { !$0.sns.converged }) {
            ratio = Metric(.nan, unit: "x", class: .stochastic)
        } else if comparisons.contains(where: { !$0.sinkhorn.converged }), let interval = ratio.interval {
            ratio.interval = MetricInterval(lower: interval.lower, upper: .infinity, level: interval.level)
        }
        return [
            "sns_iterations": Metric.stochastic(samples: comparisons.map { Double($0.sns.trace.iterations) }),
            "iteration_ratio": ratio,
            "instances": .exact(comparisons.count),
        ]
    }

    /// η as it appears in metric names: shortest round-trip form, no trailing ".0".
    static func format(_ eta: Double) -> String {
        eta == eta.rounded() && abs(eta) < 1e15 ? String(Int(eta)) : "\(eta)"
    }
}
