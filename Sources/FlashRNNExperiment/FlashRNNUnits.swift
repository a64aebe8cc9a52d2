import HarnessCore
import LinearAlgebra

/// The `rnn` suite as work units (docs/ARCHITECTURE.md, "Work units and shards"), in canonical order:
/// 1. `agreement/<cell>/D=<D>` for every cell and `check_head_dims` entry: `AgreementCheck`'s
///    metrics and the error over `error_draws` problems, all drawn from streams named after the
///    cell and shape (`RNNProblem.random`);
/// 2. `machine-probes`: the read bandwidth and the sgemm peak the throughput fractions divide by;
/// 3. `throughput/D=<D>/B=<B>` for every shape of the sweep (`ThroughputSweep.measure`).
/// `assemble` takes the sweep's limit fractions from the probe unit's result, so a throughput
/// unit's result depends on its shape alone.
extension FlashRNNThroughputExperiment: ShardableExperiment {
    /// What one unit produces: exactly one of the three parts is set.
    public struct UnitResult: Codable, Sendable {
        var agreement: AgreementResult?
        var probes: ProbeResult?
        var throughput: ThroughputSweep.Row?
    }

    /// One (cell, D)'s metrics under their final names, and the thread counts the fused kernel
    /// was compared at.
    struct AgreementResult: Codable, Sendable {
        var metrics: [String: Metric]
        var threads: Int
        var alternateThreads: Int
    }

    /// The machine's limits as measured by the probe unit, and the caches it saw.
    struct ProbeResult: Codable, Sendable {
        var singlePrecisionFlops: Double
        var bytesPerSecond: Double
        /// The Float32 multiply-add peak (`MachineProbes.fmaPeak`) and how it was measured.
        var fmaPeakFlops: Double
        var fmaPeakNote: String
        var cache: CacheTopology
    }

    /// What a unit id stands for.
    enum UnitCell: Equatable {
        case agreement(RNNCell, headDim: Int)
        case probes
        case throughput(headDim: Int, batch: Int)
    }

    public static func workUnits(_ parameters: Parameters) -> [WorkUnit] { unitCells(parameters).map(\.unit) }

    /// The units with their cells. Costs are rough flop counts: a forward pass costs its recurrent
    /// products plus its pointwise gate work (`passWork`); an agreement unit runs 5 passes
    /// (Float64 reference, vanilla, alternating, fused at two thread counts) plus 2 per error draw;
    /// a throughput unit 6 passes per warm-up and repetition; the probes stream their array 10 times
    /// and run 4 sgemm products, counted at a quarter of their flops (BLAS runs near peak).
    static func unitCells(_ p: Parameters) -> [(unit: WorkUnit, cell: UnitCell)] {
        var units: [(WorkUnit, UnitCell)] = []
        for cell in p.cells {
            for d in p.checkHeadDims {
                let work = passWork(cell, batch: p.checkBatch, steps: p.checkSteps, hidden: p.checkHidden, headDim: d)
                units.append((WorkUnit(WorkUnitID(rawValue: "agreement/\(cell.rawValue)/D=\(d)"), cost: Double(5 + 2 * p.errorDraws) * work),
                              .agreement(cell, headDim: d)))
            }
        }
        let gemm = 2 * Double(p.probeGemmDimension) * Double(p.probeGemmDimension) * Double(p.probeGemmDimension)
        units.append((WorkUnit("machine-probes", cost: 10 * Double(p.probeBandwidthMiB << 20) + gemm), .probes))
        let sweep = ThroughputSweep(configuration: p.sweep)
        for (d, b) in sweep.grid {
            let work = passWork(p.sweep.cell, batch: b, steps: max(1, p.sweep.tokens / b), hidden: p.sweep.hidden, headDim: d)
            units.append((WorkUnit(WorkUnitID(rawValue: "throughput/D=\(d)/B=\(b)"), cost: Double(6 * (p.sweep.warmups + p.sweep.repetitions)) * work),
                          .throughput(headDim: d, batch: b)))
        }
        return units
    }

    /// Flops of one forward pass: 2·T·B·N·G_R·D² for the recurrent products, and about 16 per
    /// gate pre-activation for the pointwise part.
    static func passWork(_ cell: RNNCell, batch: Int, steps: Int, hidden: Int, headDim: Int) -> Double {
        let tokens = Double(steps) * Double(batch)
        return tokens * Double(hidden) * (2 * Double(cell.recurrentGates * headDim) + 16 * Double(cell.inputGates))
    }

    public static func runUnit(_ unit: WorkUnitID, parameters: Parameters, context: RunContext) throws -> UnitResult {
        guard let cell = unitCells(parameters).first(where: { $0.unit.id == unit })?.cell else { throw UnknownWorkUnit(unit, experiment: id) }
        let cache = CacheTopology.current()
        switch cell {
        case .agreement(let rnnCell, let d):
            let alternate = context.threads == 1 ? 2 : 1
            let shape = try RNNShape(cell: rnnCell, batch: parameters.checkBatch, steps: parameters.checkSteps, hidden: parameters.checkHidden, headDim: d)
            let problem = try RNNProblem.random(shape, streams: context.streams)
            var metrics: [String: Metric] = [:]
            for (name, metric) in try AgreementCheck.metrics(problem, threads: context.threads, alternateThreads: alternate, cache: cache) {
                metrics["\(rnnCell.rawValue)/D=\(d)/\(name)"] = metric
            }
            metrics["\(rnnCell.rawValue)/D=\(d)/fused_error_mean_over_draws"] = try AgreementCheck.drawnErrorMetric(
                shape, draws: parameters.errorDraws, streams: context.streams, threads: context.threads, cache: cache)
            return UnitResult(agreement: AgreementResult(metrics: metrics, threads: context.threads, alternateThreads: alternate))
        case .probes:
            let bandwidth = MachineProbes.memoryBandwidth(threads: context.threads, bytes: parameters.probeBandwidthMiB << 20)
            let flops = SinglePrecisionBLAS.gemmPeak(threads: context.threads, dimension: parameters.probeGemmDimension)
            let fma = MachineProbes.fmaPeak(precision: .float32, threads: context.threads)
            return UnitResult(probes: ProbeResult(
                singlePrecisionFlops: flops, bytesPerSecond: bandwidth.bytesPerSecond, fmaPeakFlops: fma.flopsPerSecond,
                fmaPeakNote: fmaPeakNote(fma, threads: context.threads), cache: cache))
        case .throughput(let d, let b):
            let row = try ThroughputSweep(configuration: parameters.sweep).measure(
                headDim: d, batch: b, streams: context.streams, threads: context.threads, cache: cache)
            return UnitResult(throughput: row)
        }
    }

    public static func assemble(_ results: [UnitResult], parameters: Parameters, context: RunContext) throws -> ExperimentOutput {
        var output = ExperimentOutput()
        var rows: [ThroughputSweep.Row] = []
        var probes: ProbeResult?
        var agreementThreads: (Int, Int)?
        for result in results {
            if let agreement = result.agreement {
                for (name, metric) in agreement.metrics { output.metrics[MetricName(name)] = metric }
                agreementThreads = agreementThreads ?? (agreement.threads, agreement.alternateThreads)
            }
            if let result = result.probes { probes = result }
            if let row = result.throughput { rows.append(row) }
        }
        guard let probes else { preconditionFailure("\(id): assemble needs every unit's result, machine-probes included") }
        let limits = ThroughputSweep.Limits(
            singlePrecisionFlops: probes.singlePrecisionFlops, bandwidth: probes.bytesPerSecond, fmaPeakFlops: probes.fmaPeakFlops)
        let timing = ThroughputSweep(configuration: parameters.sweep).output(rows, limits: limits)
        output.metrics.merge(timing.metrics) { a, _ in a }
        output.tables.merge(timing.tables) { a, _ in a }
        output.notes.merge(timing.notes) { a, _ in a }
        output.metrics["machine/sgemm_peak_flops"] = .timing(probes.singlePrecisionFlops, unit: "flop/s")
        output.metrics["machine/read_bandwidth"] = .timing(probes.bytesPerSecond, unit: "B/s")
        output.metrics["machine/fma_peak_float32_flops"] = .timing(probes.fmaPeakFlops, unit: "flop/s")
        output.notes["fma_peak"] = probes.fmaPeakNote
        let cache = probes.cache
        output.notes["cache"] = "L1d \(cache.l1Data) B, L2 \(cache.l2) B (\(cache.source.rawValue))"
        for row in rows {
            output.notes["tiling/D=\(row.headDim)/B=\(row.batch)"] = row.plan.notes + " limit=\(row.limit(limits).bound)"
        }
        output.notes["limit"] = "max(recurrent flops / sgemm peak, (Wx + outputs + R + b) bytes / read bandwidth), measured by this run's machine-probes unit"
        if let (threads, alternate) = agreementThreads {
            output.notes["agreement_threads"] = "fused kernel compared bit for bit at \(threads) and \(alternate) workers"
        }
        return output
    }
}
