import HarnessCore

/// The output of an `lr-batch` run, built model by model from the studies `assemble` rebuilds
/// from the work units' results: the metrics `LearningRateBatchExperiment` documents, the four
/// tables behind the figures and the notes.
struct LearningRateBatchReport {
    let parameters: LearningRateBatchParameters
    private var metrics: [MetricName: Metric] = [:]
    private var lrTable = CSVTable(columns: ["model", "optimizer", "batch_size", "lr_max", "ci_lower", "ci_upper", "slope", "fit", "predicted"])
    private var seedTable = CSVTable(columns: ["model", "optimizer", "seed", "batch_size", "lr_stable", "lr_divergent", "outcome",
                                               "switches", "first_divergent"])
    private var scanTable = CSVTable(columns: ["model", "optimizer", "seed", "batch_size", "lr", "diverged"])
    private var hessianTable = CSVTable(columns: ["model", "batch_size", "top_eigenvalue", "ci_lower", "ci_upper", "predicted", "full", "branch"])

    init(parameters: LearningRateBatchParameters) { self.parameters = parameters }

    /// Adds one model's metrics and rows.
    mutating func add(_ kind: ModelKind, dataChecksum: Double, hessian: HessianStudy, rates: LearningRateStudy) {
        let label = kind.rawValue
        metrics[MetricName("\(label)/data_checksum")] = .exact(dataChecksum)
        for (name, metric) in hessian.metrics(label: label).merging(
            rates.metrics(label: label, parameters: parameters, theory: hessian.theory), uniquingKeysWith: { a, _ in a }) {
            metrics[MetricName(name)] = metric
        }
        for row in hessian.rows {
            hessianTable.append([.text(label), .integer(row.batchSize), .number(row.mean), .number(row.interval?.lower ?? .nan),
                                 .number(row.interval?.upper ?? .nan), .number(row.predicted), .number(hessian.fullTopEigenvalue),
                                 .text(hessian.theory?.branch(batchSize: row.batchSize).rawValue ?? "")])
        }
        appendRates(rates, label: label, theory: hessian.theory)
        for cell in rates.cells {
            let scan = cell.scan
            seedTable.append([.text(label), .text(cell.optimizer.rawValue), .integer(cell.seed), .integer(cell.batchSize),
                              .number(scan.stable), .number(scan.divergent), .text(scan.outcome.rawValue),
                              .integer(scan.switches.count), .number(scan.firstDivergentRate)])
            for (rate, diverged) in zip(scan.rates, scan.diverged) {
                scanTable.append([.text(label), .text(cell.optimizer.rawValue), .integer(cell.seed), .integer(cell.batchSize),
                                  .number(rate), .integer(diverged ? 1 : 0)])
            }
        }
    }

    var output: ExperimentOutput {
        var output = ExperimentOutput()
        output.metrics = metrics
        output.tables = ["lr_max.csv": lrTable, "lr_max_by_seed.csv": seedTable, "lr_scan.csv": scanTable, "hessian.csv": hessianTable]
        output.notes["divergence"] = "non-finite loss, a batch loss above 1e6 × the initial full-data loss, or a final full-data loss above \(parameters.divergenceFactor) × the initial one"
        output.notes["lr_max"] = "the first rate of a geometric scan (\(parameters.scanPointsPerDecade) per decade) at which training diverges, refined by \(parameters.refinementSteps) halvings; cells whose stability switches more than once have no value"
        output.notes["hessian_point"] = "initial parameters of seed 0; Hv by central differences of gradients; top eigenvalue by Lanczos"
        return output
    }

    /// Rows of the lr_max figure: the geometric mean with its interval, the mean fitted exponent α,
    /// the saturating law with the seeds' mean α and geometric-mean B* and c, and (SGD) the
    /// branch-correct prediction λ₁/λ'₁ scaled to that law's plateau.
    private mutating func appendRates(_ rates: LearningRateStudy, label: String, theory: SpikedBatchHessianTheory?) {
        let p = parameters
        for optimizer in p.optimizers {
            let fits = rates.fits(optimizer, seeds: p.seeds, sizes: p.batchSizes).compactMap { $0 }
            let exponent = SeedStatistics.mean(fits.map(\.exponent)).value
            let crossover = SeedStatistics.geometricMeanNumeric(fits.map(\.crossover)).value
            let plateau = SeedStatistics.geometricMeanNumeric(fits.map(\.plateau)).value
            let law = SaturatingLaw(plateau: plateau, crossover: crossover, exponent: exponent, rmsLogResidual: .nan, position: .interior)
            for b in p.batchSizes {
                let values = (0..<p.seeds).map { rates.rates(optimizer, seed: $0, sizes: [b])[0] }
                let metric = SeedStatistics.geometricMean(values)
                let predicted = optimizer == .sgd ? (theory.map { plateau * $0.predictedRelativeRate(batchSize: b) } ?? .nan) : .nan
                lrTable.append([.text(label), .text(optimizer.rawValue), .integer(b), .number(metric.value),
                                .number(metric.interval?.lower ?? .nan), .number(metric.interval?.upper ?? .nan), .number(exponent),
                                .number(law.rate(batchSize: Double(b))), .number(predicted)])
            }
        }
    }
}
