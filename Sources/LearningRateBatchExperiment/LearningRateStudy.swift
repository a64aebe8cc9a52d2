import Foundation
import HarnessCore

/// The maximal stable learning rate for each optimiser, batch size and seed, by bisection
/// (StabilityTest defines divergence), and the fits the claims judge (Granziol et al. 2020,
/// Sec. 5: SGD's lr_max ∝ B; Sec. 6: Adam's ∝ √B; both while the batch noise dominates).
struct LearningRateStudy {
    struct Search {
        var optimizer: OptimizerKind
        var seed: Int
        var batchSize: Int
        var result: MaximalLearningRate
    }

    var searches: [Search] = []

    static func run(
        model: some TrainableModel, label: String, data: Dataset, parameters p: LearningRateBatchParameters,
        streams: RandomStreams, progress: (String) -> Void
    ) -> LearningRateStudy {
        let test = StabilityTest(steps: p.trainingSteps, divergenceFactor: p.divergenceFactor, adam: p.adam)
        var study = LearningRateStudy()
        for optimizer in p.optimizers {
            let (lower, upper) = p.bounds(optimizer)
            for seed in 0..<p.seeds {
                let initial = model.initialParameters(streams.stream("\(label)/init", replicate: seed))
                let initialLoss = model.loss(initial, on: data)
                for b in p.batchSizes {
                    progress("\(label)/\(optimizer.rawValue)/seed=\(seed)/B=\(b)")
                    let batches = streams.stream("\(label)/batches/B=\(b)", replicate: seed)
                    let result = LearningRateBisection.search(lower: lower, upper: upper, iterations: p.bisectionSteps) { rate in
                        test.diverges(model: model, data: data, initial: initial, initialLoss: initialLoss,
                                      optimizer: optimizer, learningRate: rate, batchSize: b, batchStream: batches)
                    }
                    study.searches.append(Search(optimizer: optimizer, seed: seed, batchSize: b, result: result))
                }
            }
        }
        return study
    }

    /// lr_max of one seed at every B, in batch-size order.
    func rates(_ optimizer: OptimizerKind, seed: Int, sizes: [Int]) -> [Double] {
        sizes.map { b in searches.first { $0.optimizer == optimizer && $0.seed == seed && $0.batchSize == b }!.result.estimate }
    }

    /// Half the widest bracket, in log lr, among `optimizer`'s searches (the bisection's resolution).
    func logResolution(_ optimizer: OptimizerKind) -> Double {
        searches.filter { $0.optimizer == optimizer && $0.result.bound == .bracketed }
            .map { 0.5 * log($0.result.divergent / $0.result.stable) }.max() ?? 0
    }

    /// Geometric mean over seeds with a t-interval on log lr, widened by the bisection's resolution
    /// (seeds that land on the same bisection point would otherwise give a zero-width interval).
    func geometricMean(_ optimizer: OptimizerKind, batchSize b: Int) -> (Double, MetricInterval?) {
        let logs = searches.filter { $0.optimizer == optimizer && $0.batchSize == b }.map { log($0.result.estimate) }
        let (mean, interval) = ScalingFit.meanWithInterval(logs)
        let r = logResolution(optimizer)
        return (exp(mean), interval.map { MetricInterval(lower: exp($0.lower - r), upper: exp($0.upper + r), level: $0.level) })
    }

    /// Per-seed log–log slopes over `sizes`, as a mean with a t-interval, widened by the most the
    /// bisection's resolution can tilt a slope: 2r / (log B_max − log B_min).
    func slope(_ optimizer: OptimizerKind, seeds: Int, over sizes: [Int]) -> (Double, MetricInterval?) {
        let (mean, interval) = ScalingFit.meanWithInterval((0..<seeds).map { seed in
            ScalingFit.logLogSlope(x: sizes.map(Double.init), y: rates(optimizer, seed: seed, sizes: sizes))
        })
        let tilt = 2 * logResolution(optimizer) / log(Double(sizes.max()!) / Double(sizes.min()!))
        return (mean, interval.map { MetricInterval(lower: $0.lower - tilt, upper: $0.upper + tilt, level: $0.level) })
    }

    func metrics(label: String, parameters p: LearningRateBatchParameters, theory: SpikedBatchHessianTheory?) -> [String: Metric] {
        var out: [String: Metric] = [:]
        for optimizer in p.optimizers {
            let prefix = "\(label)/\(optimizer.rawValue)"
            for b in p.batchSizes {
                let (value, interval) = geometricMean(optimizer, batchSize: b)
                out["\(prefix)/B=\(b)/lr_max"] = .numeric(value, interval: interval)
            }
            let (noiseSlope, noiseInterval) = slope(optimizer, seeds: p.seeds, over: p.noiseDominatedBatches)
            out["\(prefix)/lr_slope"] = .numeric(noiseSlope, interval: noiseInterval)
            let (fullSlope, fullInterval) = slope(optimizer, seeds: p.seeds, over: p.batchSizes)
            out["\(prefix)/lr_slope_all_batches"] = .numeric(fullSlope, interval: fullInterval)
            let (saturation, saturationInterval) = slope(optimizer, seeds: p.seeds, over: p.saturationBatches)
            out["\(prefix)/saturation_slope"] = .numeric(saturation, interval: saturationInterval)
            let unbracketed = searches.filter { $0.optimizer == optimizer && $0.result.bound != .bracketed }.count
            out["\(prefix)/unbracketed_searches"] = .exact(unbracketed)
            // Where SGD's lr_max bends over (fit of c·B/(B + B_c)) against the theory's B* = Pσ²/λ₁².
            if optimizer == .sgd, let theory {
                let logRatios = (0..<p.seeds).map { seed in
                    log(ScalingFit.saturationCrossover(
                        batchSizes: p.batchSizes.map(Double.init), rates: rates(.sgd, seed: seed, sizes: p.batchSizes))
                        / theory.crossoverBatchSize)
                }
                let (mean, interval) = ScalingFit.meanWithInterval(logRatios)
                out["\(prefix)/crossover_ratio"] = .numeric(
                    exp(mean), interval: interval.map { MetricInterval(lower: exp($0.lower), upper: exp($0.upper), level: $0.level) })
            }
        }
        return out
    }
}
