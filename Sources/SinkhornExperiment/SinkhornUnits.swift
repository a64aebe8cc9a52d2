import Foundation
import HarnessCore
import ImageDatasets

/// The `sinkhorn` suite as work units (docs/ARCHITECTURE.md, "Work units and shards"), in
/// canonical order:
/// 1. `<case>/n=<n>/eta=<η>` for every cell of the grid: both solvers on one problem
///    (`SolverComparison`) and, for random assignment with `replicates` ≥ 2, its replicate instances;
/// 2. `<case>/n=<n>/sparsity` for every (case, n): the sparsity sweep (`SparsitySweep`).
/// Problems come from streams named after (case, n) and the replicate (`ProblemGenerator`), so a
/// unit's numbers do not depend on which units ran before it; an image case's unit loads the
/// Fashion-MNIST test split itself.
extension SinkhornConvergenceExperiment: ShardableExperiment {
    /// One unit's share of the output: metrics under their final names, and its table rows.
    public struct UnitResult: Codable, Sendable {
        var metrics: [String: Metric] = [:]
        var notes: [String: String] = [:]
        /// Rows of `convergence.csv`, in the order they are written.
        var convergenceRows: [[CSVTable.Cell]] = []
        /// Rows of `iterations_vs_eta.csv`, sorted by `assemble`.
        var iterationRows: [IterationRow] = []
        /// Rows of `sparsity.csv`, in the order they are written.
        var sparsityRows: [[CSVTable.Cell]] = []
    }

    /// One (case, n, method, η) row of `iterations_vs_eta.csv`.
    struct IterationRow: Codable, Sendable {
        var kind: String
        var n: Int
        var eta: Double
        var method: String
        var iterations: Int
        var converged: Bool
    }

    /// What a unit id stands for.
    enum UnitCell: Equatable {
        case comparison(TransportCase, n: Int, eta: Double)
        case sparsity(TransportCase, n: Int)
    }

    public static func workUnits(_ parameters: Parameters) -> [WorkUnit] { unitCells(parameters).map(\.unit) }

    /// The units with their cells. Costs count n² plan entries times the passes over them: a
    /// comparison about η Sinkhorn iterations (capped at `max_sinkhorn_iterations`; the iteration
    /// count grows with η) plus SNS's N₁ warm-up and about ten Newton plan evaluations, per
    /// instance; a sweep point its warm-up plus about five passes for the plan and its sparsification.
    static func unitCells(_ p: Parameters) -> [(unit: WorkUnit, cell: UnitCell)] {
        var units: [(WorkUnit, UnitCell)] = []
        for kind in p.cases {
            let warmup = Double(p.settings(for: kind).warmupSinkhornSteps)
            for n in p.sizes(for: kind) {
                let entries = Double(n) * Double(n)
                let instances = Double(kind == .randomAssignment && p.replicates >= 2 ? p.replicates : 1)
                for eta in p.eta {
                    let passes = min(Double(p.maxSinkhornIterations), eta) + warmup + 10
                    units.append((WorkUnit(WorkUnitID(rawValue: "\(kind.rawValue)/n=\(n)/eta=\(format(eta))"), cost: entries * instances * passes),
                                  .comparison(kind, n: n, eta: eta)))
                }
            }
        }
        for kind in p.cases {
            let warmup = p.settings(for: kind).warmupSinkhornSteps
            let passes = p.sparsityEta.map { _ in Double(warmup) + 5 } + p.sparsityWarmupFactors.map { Double($0 * warmup) + 5 }
            for n in p.sizes(for: kind) {
                let cost = Double(n) * Double(n) * max(passes.reduce(0, +), 1)
                units.append((WorkUnit(WorkUnitID(rawValue: "\(kind.rawValue)/n=\(n)/sparsity"), cost: cost), .sparsity(kind, n: n)))
            }
        }
        return units
    }

    public static func runUnit(_ unit: WorkUnitID, parameters: Parameters, context: RunContext) throws -> UnitResult {
        guard let cell = unitCells(parameters).first(where: { $0.unit.id == unit })?.cell else { throw UnknownWorkUnit(unit, experiment: id) }
        var result = UnitResult()
        switch cell {
        case .comparison(let kind, let n, let eta):
            let images = try loadImages(kind, parameters: parameters, context: context, into: &result)
            try compare(kind, n: n, eta: eta, parameters: parameters, context: context, images: images, into: &result)
        case .sparsity(let kind, let n):
            let images = try loadImages(kind, parameters: parameters, context: context, into: &result)
            try sweep(kind, n: n, parameters: parameters, context: context, images: images, into: &result)
        }
        return result
    }

    /// The Fashion-MNIST test split when `kind` is an image case (else nil); its checksum becomes
    /// an exact metric and the drawn pair a note, the same from every image unit.
    static func loadImages(_ kind: TransportCase, parameters: Parameters, context: RunContext, into result: inout UnitResult) throws -> ImageInputs? {
        guard kind.fixedSize != nil else { return nil }
        let images = try FashionMNIST.load(.test, directory: parameters.fashionMnistDirectory)
        result.metrics["fashion-mnist/test_split_checksum"] = .exact(Double(images.checksum.combined & ((1 << 53) - 1)))
        result.metrics["fashion-mnist/test_split_images"] = .exact(images.count)
        let (first, second) = ProblemGenerator.imagePair(count: images.count, streams: context.streams)
        result.notes["fashion_mnist_pair"] = "test-split images \(first) (label \(images.labels[first])) → \(second) (label \(images.labels[second]))"
        return ImageInputs(images: images, pixelFloor: parameters.pixelFloor)
    }

    /// One grid cell: both solvers, their metrics and trace rows, and random assignment's replicates.
    static func compare(_ kind: TransportCase, n: Int, eta: Double, parameters: Parameters, context: RunContext,
                        images: ImageInputs?, into result: inout UnitResult) throws {
        let label = "\(kind.rawValue)/n=\(n)/eta=\(format(eta))"
        let settings = parameters.settings(for: kind)
        let problem = try ProblemGenerator.make(kind, n: n, eta: eta, streams: context.streams, images: images)
        let comparison = SolverComparison(problem: problem, parameters: parameters, settings: settings, threads: context.threads)
        for (name, metric) in comparison.metrics(problem: problem) { result.metrics["\(label)/\(name)"] = metric }
        for (method, trace, converged) in [("sinkhorn", comparison.sinkhorn.trace, comparison.sinkhorn.converged),
                                           ("sns", comparison.sns.trace, comparison.sns.converged)] {
            for point in trace.sampledForFigures() {
                result.convergenceRows.append([.text(kind.rawValue), .integer(n), .number(eta), .text(method),
                                               .integer(point.iteration), .number(point.seconds), .number(point.error)])
            }
            result.iterationRows.append(IterationRow(kind: kind.rawValue, n: n, eta: eta, method: method, iterations: trace.iterations, converged: converged))
        }
        if kind == .randomAssignment && parameters.replicates >= 2 {
            var comparisons = [comparison]
            for replicate in 1..<parameters.replicates {
                let instance = try ProblemGenerator.make(kind, n: n, eta: eta, streams: context.streams, replicate: replicate)
                comparisons.append(SolverComparison(problem: instance, parameters: parameters, settings: settings, threads: context.threads))
            }
            for (name, metric) in replicateMetrics(comparisons) { result.metrics["\(label)/replicates/\(name)"] = metric }
        }
    }

    /// One (case, n) sparsity sweep: its dropped-mass metrics, their largest growths and its rows.
    static func sweep(_ kind: TransportCase, n: Int, parameters: Parameters, context: RunContext,
                      images: ImageInputs?, into result: inout UnitResult) throws {
        let points = try sweep(kind, n: n, parameters: parameters, context: context, images: images)
        let label = "\(kind.rawValue)/n=\(n)/sparsity"
        for point in points.eta + points.warmup {
            result.sparsityRows.append([.text(kind.rawValue), .integer(n), .number(point.eta), .integer(point.warmup),
                                        .number(point.droppedMass), .number(point.massBudgetKeptFraction)])
        }
        for point in points.eta { result.metrics["\(label)/eta=\(format(point.eta))/dropped_mass"] = .numeric(point.droppedMass) }
        for point in points.warmup { result.metrics["\(label)/warmup=\(point.warmup)/dropped_mass"] = .numeric(point.droppedMass) }
        result.metrics["\(label)/dropped_mass_growth_eta"] = .numeric(SparsitySweep.largestGrowth(points.eta.map(\.droppedMass)))
        result.metrics["\(label)/dropped_mass_growth_warmup"] = .numeric(SparsitySweep.largestGrowth(points.warmup.map(\.droppedMass)))
    }

    public static func assemble(_ results: [UnitResult], parameters: Parameters, context: RunContext) throws -> ExperimentOutput {
        var output = ExperimentOutput()
        var convergence = CSVTable(columns: ["case", "n", "eta", "method", "iteration", "seconds", "error"])
        var sparsity = CSVTable(columns: ["case", "n", "eta", "warmup", "dropped_mass", "mass_budget_kept_fraction"])
        var iterationRows: [IterationRow] = []
        for result in results {
            for (name, metric) in result.metrics { output.metrics[MetricName(name)] = metric }
            output.notes.merge(result.notes) { first, _ in first }
            for row in result.convergenceRows { convergence.append(row) }
            for row in result.sparsityRows { sparsity.append(row) }
            iterationRows += result.iterationRows
        }
        // One contiguous block per (case, n, method), η ascending, so each series plots as a line.
        var iterationsTable = CSVTable(columns: ["case", "n", "eta", "method", "iterations", "converged"])
        func order(_ kind: String) -> Int { parameters.cases.firstIndex { $0.rawValue == kind } ?? parameters.cases.count }
        for row in iterationRows.sorted(by: { a, b in (order(a.kind), a.n, a.method, a.eta) < (order(b.kind), b.n, b.method, b.eta) }) {
            iterationsTable.append([.text(row.kind), .integer(row.n), .number(row.eta), .text(row.method),
                                    .integer(row.iterations), .integer(row.converged ? 1 : 0)])
        }
        output.tables = ["convergence.csv": convergence, "iterations_vs_eta.csv": iterationsTable, "sparsity.csv": sparsity]
        output.notes["error_definition"] = "‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁ of the current plan"
        output.notes["iteration_count"] = "SNS iterations = Sinkhorn warm-up steps + Newton steps (Tang et al. 2024, Table 1)"
        output.notes["sparsification"] = "SNS keeps the ⌈ρn²⌉ largest plan entries (Alg. 1); mass_budget_kept_fraction is our diagnostic"
        return output
    }
}
