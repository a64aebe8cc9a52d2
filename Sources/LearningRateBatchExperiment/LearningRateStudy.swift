import Foundation
import HarnessCore

/// The maximal stable learning rate for each optimiser, batch size and seed, by a scan over a
/// geometric grid of rates (LearningRateScan; StabilityTest defines divergence), and the fits the
/// claims judge (Granziol et al. 2020, Sec. 5: SGD's lr_max ∝ B; Sec. 6: Adam's ∝ √B; both
/// while the batch noise dominates, then saturating).
struct LearningRateStudy {
    struct Cell {
        var optimizer: OptimizerKind
        var seed: Int
        var batchSize: Int
        var scan: LearningRateScan
    }

    var cells: [Cell] = []

    /// One (optimiser, seed, B) cell's scan: every trial starts from the seed's initial parameters
    /// (stream `<label>/init`, replicate seed) and sees the batches of stream `<label>/batches/B=<b>`
    /// (replicate seed).
    static func scan(
        model: some TrainableModel, label: String, data: Dataset, parameters p: LearningRateBatchParameters,
        optimizer: OptimizerKind, seed: Int, batchSize b: Int, streams: RandomStreams
    ) -> LearningRateScan {
        let test = StabilityTest(steps: p.trainingSteps, divergenceFactor: p.divergenceFactor, adam: p.adam)
        let initial = model.initialParameters(streams.stream("\(label)/init", replicate: seed))
        let initialLoss = model.loss(initial, on: data)
        let batches = streams.stream("\(label)/batches/B=\(b)", replicate: seed)
        return LearningRateScan.run(grid: p.scanGrid(optimizer), refinementSteps: p.refinementSteps) { rate in
            test.diverges(model: model, data: data, initial: initial, initialLoss: initialLoss,
                          optimizer: optimizer, learningRate: rate, batchSize: b, batchStream: batches)
        }
    }

    /// lr_max of one seed at every B of `sizes`, in order; NaN where the cell is not monotone or
    /// not bracketed by the grid.
    func rates(_ optimizer: OptimizerKind, seed: Int, sizes: [Int]) -> [Double] {
        sizes.map { b in cells.first { $0.optimizer == optimizer && $0.seed == seed && $0.batchSize == b }!.scan.estimate }
    }

    /// Half the widest refined bracket, in log lr, among `optimizer`'s monotone cells: the most a
    /// cell's lr_max can be off because of the scan's resolution.
    func logResolution(_ optimizer: OptimizerKind) -> Double {
        cells.filter { $0.optimizer == optimizer && $0.scan.outcome == .monotone }
            .map { 0.5 * log($0.scan.divergent / $0.scan.stable) }.max() ?? 0
    }

    func count(_ optimizer: OptimizerKind, _ outcome: LearningRateScan.Outcome) -> Int {
        cells.filter { $0.optimizer == optimizer && $0.scan.outcome == outcome }.count
    }

    /// The saturating law fitted to each seed's lr_max over all batch sizes (nil where a seed has
    /// fewer than three measurable cells).
    func fits(_ optimizer: OptimizerKind, seeds: Int, sizes: [Int]) -> [SaturatingLaw?] {
        (0..<seeds).map { SaturatingLaw.fit(batchSizes: sizes.map(Double.init), rates: rates(optimizer, seed: $0, sizes: sizes)) }
    }

    func metrics(label: String, parameters p: LearningRateBatchParameters, theory: SpikedBatchHessianTheory?) -> [String: Metric] {
        var out: [String: Metric] = [:]
        let sizes = p.batchSizes
        for optimizer in p.optimizers {
            let prefix = "\(label)/\(optimizer.rawValue)"
            // Intervals are widened by the scan's resolution r: seeds that land in the same refined
            // bracket would otherwise give a zero-width interval.
            let r = logResolution(optimizer)
            for b in sizes {
                let values = (0..<p.seeds).map { rates(optimizer, seed: $0, sizes: [b])[0] }
                out["\(prefix)/B=\(b)/lr_max"] = SeedStatistics.geometricMean(values).widenedOnLogScale(by: r)
            }
            out["\(prefix)/non_monotone_cells"] = .exact(count(optimizer, .nonMonotone))
            out["\(prefix)/unbracketed_cells"] = .exact(count(optimizer, .neverDiverged) + count(optimizer, .alwaysDiverged))

            let fits = self.fits(optimizer, seeds: p.seeds, sizes: sizes)
            let fitted = fits.compactMap { $0 }
            out["\(prefix)/fit/seeds_fitted"] = .exact(fitted.count)
            let shift = fitted.map { $0.exponentShift(batchSizes: sizes.map(Double.init), logError: r) }.max() ?? 0
            // α is measured only if every seed's bend lies at or above the smallest B; a seed whose
            // B* lies below it makes the case's α NaN (not measurable) rather than a mean of the rest.
            let exponents = fitted.map(\.exponent)
            out["\(prefix)/fit/exponent"] = exponents.contains(where: \.isNaN)
                ? .numeric(.nan) : SeedStatistics.mean(exponents).widened(by: shift)
            out["\(prefix)/fit/crossover_batch"] = SeedStatistics.geometricMeanNumeric(fitted.map(\.crossover))
            out["\(prefix)/fit/plateau_lr"] = SeedStatistics.geometricMeanNumeric(fitted.map(\.plateau))
            out["\(prefix)/fit/rms_log_residual"] = SeedStatistics.mean(fitted.map(\.rmsLogResidual))
            // Every B on the plateau (no rise seen) counts as fully saturated.
            let largest = Double(sizes.max()!)
            out["\(prefix)/fit/saturation_fraction"] = SeedStatistics.mean(fitted.map {
                $0.position == .belowRange ? 1 : $0.plateauFraction(batchSize: largest)
            })

            // Diagnostic: the straight log–log slope over the window B ≤ noise_dominated_max_batch.
            let window = p.noiseDominatedBatches
            let windowSlope = SeedStatistics.mean((0..<p.seeds).map { seed in
                ScalingFit.logLogSlope(x: window.map(Double.init), y: rates(optimizer, seed: seed, sizes: window))
            })
            let tilt = 2 * r / log(Double(window.max()!) / Double(window.min()!))
            out["\(prefix)/window_slope"] = windowSlope.widened(by: tilt)

            // SGD against the branch-correct prediction lr_max ∝ 1/λ'₁ (our diagnostic): the same
            // window slope and the same saturating-law fit applied to the predicted curve.
            // Emitted for SGD on every run (NaN where there is no theory or the fit fails), so the
            // metric names follow from the parameters alone (the plan, docs/ARCHITECTURE.md).
            guard optimizer == .sgd else { continue }
            let names = ["predicted/window_slope", "window_slope_minus_predicted", "predicted/bulk_edge_batches", "predicted/exponent",
                         "predicted/crossover_batch", "exponent_minus_predicted", "crossover_ratio"]
            for name in names { out["\(prefix)/\(name)"] = .numeric(.nan) }
            out["\(prefix)/predicted/bulk_edge_batches"] = .exact(0)
            guard let theory else { continue }
            let predicted = sizes.map { theory.predictedRelativeRate(batchSize: $0) }
            let predictedWindow = ScalingFit.logLogSlope(
                x: window.map(Double.init), y: window.map { theory.predictedRelativeRate(batchSize: $0) })
            out["\(prefix)/predicted/window_slope"] = .numeric(predictedWindow)
            out["\(prefix)/window_slope_minus_predicted"] = windowSlope.widened(by: tilt).shifted(by: -predictedWindow)
            out["\(prefix)/predicted/bulk_edge_batches"] = .exact(sizes.filter { theory.branch(batchSize: $0) == .bulkEdge }.count)
            guard let law = SaturatingLaw.fit(batchSizes: sizes.map(Double.init), rates: predicted) else { continue }
            out["\(prefix)/predicted/exponent"] = .numeric(law.exponent)
            out["\(prefix)/predicted/crossover_batch"] = .numeric(law.crossover)
            out["\(prefix)/exponent_minus_predicted"] = out["\(prefix)/fit/exponent"]!.shifted(by: -law.exponent)
            out["\(prefix)/crossover_ratio"] = SeedStatistics.geometricMeanNumeric(fitted.map { $0.crossover / law.crossover })
        }
        return out
    }
}

/// Means over seeds with Student-t intervals, skipping the seeds whose value is NaN (an
/// inconclusive cell or fit); NaN when fewer than two seeds remain, so a claim on it is inconclusive.
enum SeedStatistics {
    static func mean(_ values: [Double]) -> Metric {
        let finite = values.filter(\.isFinite)
        guard finite.count >= 2 else { return .numeric(.nan) }
        let (mean, interval) = ScalingFit.meanWithInterval(finite)
        return .numeric(mean, interval: interval)
    }

    /// exp of the mean of the logs, with the interval on the log scale mapped back.
    static func geometricMeanNumeric(_ values: [Double]) -> Metric {
        let logs = values.filter { $0 > 0 && $0.isFinite }.map { log($0) }
        guard logs.count >= 2 else { return .numeric(.nan) }
        let (mean, interval) = ScalingFit.meanWithInterval(logs)
        return .numeric(exp(mean), interval: interval.map { MetricInterval(lower: exp($0.lower), upper: exp($0.upper), level: $0.level) })
    }

    /// lr_max at one B: a `stochastic` metric, the geometric mean over the seeds whose cell is
    /// measurable, with standard error exp(m)·s/√n (the delta method on the mean log m, s the
    /// standard deviation of the logs) and a t-interval on the log scale.
    static func geometricMean(_ values: [Double]) -> Metric {
        let logs = values.filter { $0 > 0 && $0.isFinite }.map { log($0) }
        guard !logs.isEmpty else { return Metric(.nan, unit: "1", class: .stochastic) }
        let (mean, interval) = ScalingFit.meanWithInterval(logs)
        let value = exp(mean)
        guard logs.count >= 2 else { return Metric(value, unit: "1", class: .stochastic) }
        let variance = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(logs.count - 1)
        return Metric(value, unit: "1", class: .stochastic,
                      interval: interval.map { MetricInterval(lower: exp($0.lower), upper: exp($0.upper), level: $0.level) },
                      standardError: value * (variance / Double(logs.count)).squareRoot())
    }
}

extension Metric {
    /// The same metric with its interval widened by `margin` on each side.
    func widened(by margin: Double) -> Metric {
        var wide = self
        wide.interval = interval.map { MetricInterval(lower: $0.lower - margin, upper: $0.upper + margin, level: $0.level) }
        return wide
    }

    /// The same metric with its interval multiplied and divided by e^`logMargin`.
    func widenedOnLogScale(by logMargin: Double) -> Metric {
        var wide = self
        wide.interval = interval.map { MetricInterval(lower: $0.lower * exp(-logMargin), upper: $0.upper * exp(logMargin), level: $0.level) }
        return wide
    }

    /// The same metric with its value and interval moved by `offset`.
    func shifted(by offset: Double) -> Metric {
        var moved = self
        moved.value += offset
        moved.interval = interval.map { MetricInterval(lower: $0.lower + offset, upper: $0.upper + offset, level: $0.level) }
        return moved
    }
}
