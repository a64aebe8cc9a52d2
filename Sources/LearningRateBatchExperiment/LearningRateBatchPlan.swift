import HarnessCore

/// The plan of an `lr-batch` run (docs/ARCHITECTURE.md, "Plan"): the metrics and tables it
/// reports, its peak memory and the upper bound of every preset key, from the parameters alone.
extension LearningRateBatchExperiment {
    /// Metric names as `HessianStudy.metrics` and `LearningRateStudy.metrics` build them, per model.
    public static func plannedOutput(_ p: Parameters) -> PlannedOutput {
        var planned = PlannedOutput(tables: ["lr_max.csv", "lr_max_by_seed.csv", "lr_scan.csv", "hessian.csv"])
        for model in p.models {
            let label = model.rawValue
            planned.add("\(label)/data_checksum", .exact)
            for name in ["full_top_eigenvalue", "entry_variance", "predicted_crossover_batch", "min_relative_excess", "excess_slope",
                         "predicted_excess_slope", "excess_slope_difference", "max_prediction_ratio", "min_prediction_ratio"] {
                planned.add("\(label)/hessian/\(name)", .numeric)
            }
            for b in p.batchSizes {
                planned.add("\(label)/hessian/B=\(b)/top_eigenvalue", .numeric)
                planned.add("\(label)/hessian/B=\(b)/predicted_top_eigenvalue", .numeric)
            }
            for optimizer in p.optimizers {
                let prefix = "\(label)/\(optimizer.rawValue)"
                for b in p.batchSizes { planned.add("\(prefix)/B=\(b)/lr_max", .stochastic) }
                for name in ["non_monotone_cells", "unbracketed_cells", "fit/seeds_fitted"] { planned.add("\(prefix)/\(name)", .exact) }
                for name in ["fit/exponent", "fit/crossover_batch", "fit/plateau_lr", "fit/rms_log_residual", "fit/saturation_fraction",
                             "window_slope"] {
                    planned.add("\(prefix)/\(name)", .numeric)
                }
                guard optimizer == .sgd else { continue }
                for name in ["predicted/window_slope", "window_slope_minus_predicted", "predicted/exponent", "predicted/crossover_batch",
                             "exponent_minus_predicted", "crossover_ratio"] {
                    planned.add("\(prefix)/\(name)", .numeric)
                }
                planned.add("\(prefix)/predicted/bulk_edge_batches", .exact)
            }
        }
        return planned
    }

    /// One model's data at a time: the N × d inputs (and a copy for a batch view), the MLP's N × h
    /// activations and their gradients, the Lanczos basis of P-vectors, and the largest batch.
    public static func peakMemory(_ p: Parameters) -> MemoryEstimate {
        let n = Double(p.samples), d = Double(max(p.inputDimension, p.logisticInputDimension)), h = Double(p.hiddenUnits)
        let parameterCount = Double(p.hiddenUnits * p.inputDimension + 2 * p.hiddenUnits + 1 + p.logisticInputDimension + 1)
        let batch = Double(p.batchSizes.max() ?? 0)
        let doubles = 2 * n * (d + 1) + 4 * n * h + Double(p.lanczosSteps + 8) * parameterCount + 2 * batch * d
        let keys = ["samples", p.inputDimension >= p.logisticInputDimension ? "input_dimension" : "logistic_input_dimension",
                    "hidden_units", "lanczos_steps"]
        return MemoryEstimate(bytes: 8 * doubles + 64 * 1024 * 1024, keys: keys)
    }

    /// Upper bounds of the keys that `LearningRateBatchParameters.validate` does not bound.
    static func checkBounds(_ p: Parameters, _ table: ParameterTable) throws {
        if Set(p.models).count != p.models.count { throw table.error("models", "list each model once") }
        if Set(p.optimizers).count != p.optimizers.count { throw table.error("optimizers", "list each optimiser once") }
        if p.batchSizes.count > 64 { throw table.error("batch_sizes", "at most 64 batch sizes, got \(p.batchSizes.count)") }
        let limits: [(String, Int, Int)] = [
            ("seeds", p.seeds, 1000), ("training_steps", p.trainingSteps, 1_000_000), ("hessian_batches", p.hessianBatches, 10_000),
            ("lanczos_steps", p.lanczosSteps, 10_000), ("variance_samples", p.varianceSamples, 1_000_000),
            ("noise_dominated_max_batch", p.noiseDominatedMaxBatch, 1_000_000), ("scan_points_per_decade", p.scanPointsPerDecade, 1000),
            ("image_pooling", p.imagePooling, 28), ("image_hidden_units", p.imageHiddenUnits, 100_000),
        ]
        for (key, value, limit) in limits where value > limit { throw table.error(key, "must be at most \(limit), got \(value)") }
        if !(p.labelNoise <= 1000) { throw table.error("label_noise", "must be at most 1000, got \(p.labelNoise)") }
        if !(p.divergenceFactor <= 1e12) { throw table.error("divergence_factor", "must be at most 1e12, got \(p.divergenceFactor)") }
        for (key, pair) in [("sgd_lr_bounds", p.sgdLearningRateBounds), ("adam_lr_bounds", p.adamLearningRateBounds)] where pair[1] > 1e12 {
            throw table.error(key, "upper bound must be at most 1e12, got \(pair[1])")
        }
        if !(p.adam.epsilon <= 1) { throw table.error("adam_epsilon", "must be at most 1, got \(p.adam.epsilon)") }
    }
}
