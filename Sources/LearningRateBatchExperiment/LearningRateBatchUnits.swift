import HarnessCore
import ImageDatasets

/// The `lr-batch` suite as work units (docs/ARCHITECTURE.md, "Work units and shards"). Per model,
/// in this order:
/// - `<model>/hessian`: the data checksum, λ₁ of the full-data Hessian and σ²;
/// - `<model>/hessian/B=<b>`, per B: the top eigenvalues of `hessian_batches` batch Hessians;
/// - `<model>/<optimizer>/B=<b>/seed=<s>`, per optimiser, seed and B (the order the scans
///   always ran in): one learning-rate scan.
/// The fits and aggregates over seeds and batch sizes (`HessianStudy`, `LearningRateStudy`) are
/// made in `assemble`.
///
/// Every stream a unit draws from is named after its own cell (`<model>/init` replicate s,
/// `<model>/batches/B=<b>` replicate s, `<model>/hessian-batches/B=<b>`, `<model>/lanczos-start`,
/// `<model>/hessian-variance`) or is the model's data (`<model>/data/…`, the same in every unit),
/// so a unit's numbers do not depend on which units ran before it.
enum LearningRateBatchUnit: Equatable {
    case fullHessian(ModelKind)
    case batchHessian(ModelKind, batchSize: Int)
    case scan(ModelKind, OptimizerKind, batchSize: Int, seed: Int)

    /// Every unit of a preset, in canonical order.
    static func all(_ p: LearningRateBatchParameters) -> [LearningRateBatchUnit] {
        p.models.flatMap { model in
            [.fullHessian(model)] + p.batchSizes.map { .batchHessian(model, batchSize: $0) }
                + p.optimizers.flatMap { optimizer in
                    (0..<p.seeds).flatMap { seed in p.batchSizes.map { .scan(model, optimizer, batchSize: $0, seed: seed) } }
                }
        }
    }

    var model: ModelKind {
        switch self {
        case .fullHessian(let model), .batchHessian(let model, _), .scan(let model, _, _, _): model
        }
    }

    var id: WorkUnitID {
        switch self {
        case .fullHessian(let model): WorkUnitID(rawValue: "\(model.rawValue)/hessian")
        case .batchHessian(let model, let b): WorkUnitID(rawValue: "\(model.rawValue)/hessian/B=\(b)")
        case .scan(let model, let optimizer, let b, let seed): WorkUnitID(rawValue: "\(model.rawValue)/\(optimizer.rawValue)/B=\(b)/seed=\(seed)")
        }
    }

    /// Relative cost in gradient work (samples × parameters): Lanczos on the full data (two
    /// gradients per Hessian–vector product) and the variance probes; Lanczos on each batch; for a
    /// scan, every trial's steps on batches of B plus its final full-data loss (refinements counted
    /// as if every cell were monotone).
    func cost(_ p: LearningRateBatchParameters) -> Double {
        let parameters = Double(LearningRateBatchExperiment.parameterCount(model, p))
        let samples = Double(p.samples), lanczos = Double(min(p.lanczosSteps, Int(parameters)))
        switch self {
        case .fullHessian:
            return parameters * (2 * lanczos * samples + 4 * (2 * samples + 2 * Double(p.varianceSamples)))
        case .batchHessian(_, let b):
            return parameters * Double(p.hessianBatches) * 2 * lanczos * Double(b)
        case .scan(_, let optimizer, let b, _):
            let trials = Double(p.scanGrid(optimizer).count + p.refinementSteps)
            return parameters * (trials * (Double(p.trainingSteps) * Double(b) + samples) + samples)
        }
    }
}

extension LearningRateBatchExperiment: ShardableExperiment {
    /// What one unit hands to `assemble`.
    public enum UnitResult: Codable, Sendable {
        case fullHessian(FullHessian)
        /// The batch Hessians' top eigenvalues at one B, in draw order.
        case batchHessian(topEigenvalues: [Double])
        case scan(LearningRateScan)
    }

    /// The `<model>/hessian` unit's numbers.
    public struct FullHessian: Codable, Sendable {
        var dataChecksum: Double
        var topEigenvalue: Double
        var entryVariance: Double
        var parameterCount: Int
        var sampleCount: Int
    }

    public static func workUnits(_ p: Parameters) -> [WorkUnit] {
        LearningRateBatchUnit.all(p).map { WorkUnit($0.id, cost: $0.cost(p)) }
    }

    public static func runUnit(_ id: WorkUnitID, parameters p: Parameters, context: RunContext) throws -> UnitResult {
        guard let unit = LearningRateBatchUnit.all(p).first(where: { $0.id == id }) else { throw UnknownWorkUnit(id, experiment: self.id) }
        let kind = unit.model
        let data = try dataset(kind, parameters: p, streams: context.streams)
        switch kind {
        case .mlp, .mlpSoftplus:
            let model = TwoLayerMLP(inputDimension: p.inputDimension, hiddenUnits: p.hiddenUnits, activation: kind == .mlp ? .tanh : .softplus)
            return try run(unit, model: model, data: data, parameters: p, streams: context.streams)
        case .fashionMNIST:
            return try run(unit, model: TwoLayerMLP(inputDimension: data.dimension, hiddenUnits: p.imageHiddenUnits),
                           data: data, parameters: p, streams: context.streams)
        case .logistic:
            return try run(unit, model: LogisticRegression(inputDimension: p.logisticInputDimension),
                           data: data, parameters: p, streams: context.streams)
        }
    }

    private static func run(
        _ unit: LearningRateBatchUnit, model: some TrainableModel, data: Dataset, parameters p: Parameters, streams: RandomStreams
    ) throws -> UnitResult {
        let label = unit.model.rawValue
        switch unit {
        case .fullHessian:
            let (top, variance) = try HessianStudy.fullSpectrum(model: model, label: label, data: data, parameters: p, streams: streams)
            return .fullHessian(FullHessian(
                dataChecksum: DataChecksum.of(data), topEigenvalue: top, entryVariance: variance,
                parameterCount: model.parameterCount, sampleCount: data.count))
        case .batchHessian(_, let b):
            return .batchHessian(topEigenvalues: try HessianStudy.batchTopEigenvalues(
                model: model, label: label, data: data, batchSize: b, parameters: p, streams: streams))
        case .scan(_, let optimizer, let b, let seed):
            return .scan(LearningRateStudy.scan(
                model: model, label: label, data: data, parameters: p, optimizer: optimizer, seed: seed, batchSize: b, streams: streams))
        }
    }

    /// Per model, the Hessian and learning-rate studies rebuilt from the units' results, then
    /// their metrics and table rows (`LearningRateBatchReport`).
    public static func assemble(_ results: [UnitResult], parameters p: Parameters, context: RunContext) throws -> ExperimentOutput {
        let units = LearningRateBatchUnit.all(p)
        precondition(units.count == results.count, "lr-batch: \(results.count) unit results for \(units.count) units")
        var report = LearningRateBatchReport(parameters: p)
        for kind in p.models {
            var full: FullHessian?
            var batches: [(batchSize: Int, values: [Double])] = []
            var rates = LearningRateStudy()
            for (unit, result) in zip(units, results) where unit.model == kind {
                switch (unit, result) {
                case (.fullHessian, .fullHessian(let value)): full = value
                case (.batchHessian(_, let b), .batchHessian(let values)): batches.append((b, values))
                case (.scan(_, let optimizer, let b, let seed), .scan(let scan)):
                    rates.cells.append(LearningRateStudy.Cell(optimizer: optimizer, seed: seed, batchSize: b, scan: scan))
                default: throw MismatchedUnitResult(unit: unit.id)
                }
            }
            guard let full else { throw MismatchedUnitResult(unit: LearningRateBatchUnit.fullHessian(kind).id) }
            let hessian = HessianStudy(
                fullTopEigenvalue: full.topEigenvalue, entryVariance: full.entryVariance, parameterCount: full.parameterCount,
                sampleCount: full.sampleCount, batchTopEigenvalues: batches)
            report.add(kind, dataChecksum: full.dataChecksum, hessian: hessian, rates: rates)
        }
        return report.output
    }

    /// P of `kind`'s model, from the parameters alone (Fashion-MNIST's images pooled `image_pooling`-fold).
    static func parameterCount(_ kind: ModelKind, _ p: Parameters) -> Int {
        switch kind {
        case .mlp, .mlpSoftplus: return TwoLayerMLP(inputDimension: p.inputDimension, hiddenUnits: p.hiddenUnits).parameterCount
        case .logistic: return LogisticRegression(inputDimension: p.logisticInputDimension).parameterCount
        case .fashionMNIST:
            let side = FashionMNIST.rows / p.imagePooling
            return TwoLayerMLP(inputDimension: side * side, hiddenUnits: p.imageHiddenUnits).parameterCount
        }
    }
}

/// A unit result of another kind than its unit produces: a result stored by another version.
struct MismatchedUnitResult: Error, CustomStringConvertible {
    var unit: WorkUnitID
    var description: String { "the result given for work unit \(unit) is not of the kind this unit produces; rerun it" }
}
