import Foundation
import HarnessCore
import LinearAlgebra

/// The throughput sweep behind the suite's timing claims (FlashRNN Sec. 5, Fig. 1 and the
/// head-dim sweeps): for each head dim D (N = hidden / D heads) and batch B, the three
/// implementations run the same forward pass, timed side by side (`Stopwatch.compare`:
/// warm-ups, then interleaved repetitions; medians with ~95% intervals).
///
/// Metrics, named `throughput/D=<D>/B=<B>/<metric>` (all `timing`, never golden-compared):
/// - `speedup_vs_vanilla`, `speedup_vs_alternating`: per-pair time ratios baseline / fused;
/// - `speedup_vs_alternating_simd`: the same over the alternating pass whose R·h uses the fused
///   kernel's own SIMD panel product (fusion alone, same arithmetic kernel);
/// - `tokens_per_second_{vanilla,alternating,alternating_simd,fused}`: B·T / median seconds;
/// - `speedup_fused_vs_onednn`, `speedup_fused_vs_onednn_dense` (cells oneDNN has: LSTM, GRU,
///   Elman): per-pair ratios oneDNN / fused, the vendor baseline (`OneDNNForward`) run per head
///   (N primitives of hidden D one after another: our recurrent flops) and as one dense primitive
///   with zero off-diagonal blocks (N× the recurrent flops); both also multiply Wx by a 0/1
///   selection (`OneDNNWeights`), G·D (per head) or G·N·D (dense) times the recurrent work per
///   token, since oneDNN's RNN primitives always compute their input product. Only `execute` is
///   timed: the weights are reordered and Wx cut per head before;
/// - `tokens_per_second_onednn{,_dense}`: B·T / median seconds of those;
/// - `fraction_of_limit`: the machine's limit for the shape over fused's time, the limit being
///   max(recurrent flops / sgemm peak, bytes moved / read bandwidth), both measured in this run;
/// - `gflops_fused`, `fraction_of_fma_peak`: fused's recurrent flop rate, and that rate over the
///   Float32 multiply-add peak measured in this run (`MachineProbes.fmaPeak`): how close the
///   kernel comes to the FMA units' limit (issue 12's target: ≥ 0.5 for D ≥ 64);
/// and per batch B:
/// - `throughput/B=<B>/speedup_vs_alternating{,_simd}_in_cache`: the smallest fused/alternating
///   ratio over the D whose R (one head) fits half of L2 (interval: smallest lower and upper bounds;
///   NaN when no D fits);
/// - `throughput/B=<B>/advantage_out_vs_in_cache`: fused/alternating at the largest D whose R
///   does not fit L2, over the geometric mean at the D that fit (NaN when every D fits).
struct ThroughputSweep {
    struct Configuration: Encodable, Sendable {
        var cell: RNNCell
        var hidden: Int
        var headDims: [Int]
        var batches: [Int]
        /// B·T per timed call; T = tokens / B.
        var tokens: Int
        var repetitions: Int
        var warmups: Int
    }

    /// The machine limits the fractions are taken against, measured in the same run.
    struct Limits: Sendable {
        var singlePrecisionFlops: Double
        var bandwidth: Double
        /// The Float32 multiply-add peak (flop/s) at the run's thread count.
        var fmaPeakFlops: Double
    }

    /// One shape's measurements. Codable: it is the result of one of the suite's work units.
    struct Row: Codable, Sendable {
        var headDim: Int, batch: Int, steps: Int, heads: Int
        var vanilla: PairedTimings, alternating: PairedTimings, alternatingSIMD: PairedTimings
        /// Fused against oneDNN, per layout; empty for a cell oneDNN does not have.
        var oneDNN: [VendorTiming]
        /// Worker threads the shape was timed with (oneDNN's too).
        var threads: Int
        /// The two sides of the machine's limit for the shape, before dividing by its rates.
        var recurrentFlops: Double, bytesMoved: Int
        var plan: TilingPlan

        /// The limit's seconds at `limits`, and which side bounds it.
        func limit(_ limits: Limits) -> (seconds: Double, bound: String) {
            let computeSeconds = recurrentFlops / limits.singlePrecisionFlops
            let memorySeconds = Double(bytesMoved) / limits.bandwidth
            return (max(computeSeconds, memorySeconds), computeSeconds >= memorySeconds ? "compute" : "memory")
        }
    }

    /// Fused against one oneDNN layout at one shape.
    struct VendorTiming: Codable, Sendable {
        var layout: OneDNNLayout
        var comparison: PairedTimings
        /// oneDNN's name for the implementation it chose (e.g. `ref:any`, `jit:avx2`).
        var implementation: String
    }

    let configuration: Configuration

    /// The sweep's shapes, (D, B) in the order they run and report.
    var grid: [(headDim: Int, batch: Int)] { configuration.headDims.flatMap { d in configuration.batches.map { (d, $0) } } }

    func run(limits: Limits, streams: RandomStreams, threads: Int, cache: CacheTopology, progress: ProgressReporter) throws -> (rows: [Row], output: ExperimentOutput) {
        var rows: [Row] = []
        for (index, (d, b)) in grid.enumerated() {
            progress.update(done: index, total: grid.count, detail: "throughput D=\(d) B=\(b)")
            rows.append(try measure(headDim: d, batch: b, streams: streams, threads: threads, cache: cache))
        }
        return (rows, output(rows, limits: limits))
    }

    /// The side-by-side comparisons at one shape (head dim D, batch B).
    func measure(headDim d: Int, batch b: Int, streams: RandomStreams, threads: Int, cache: CacheTopology) throws -> Row {
        let shape = try RNNShape(cell: configuration.cell, batch: b, steps: max(1, configuration.tokens / b), hidden: configuration.hidden, headDim: d)
        let problem = try RNNProblem.random(shape, streams: streams)
        let plan = TilingPlan(shape: shape, threads: threads, cache: cache)
        var sink: Float = 0
        let vanilla = Stopwatch.compare(warmups: configuration.warmups, repetitions: configuration.repetitions) {
            sink += VanillaForward.run(problem).finalStates[0]
        } candidate: {
            sink += FusedForward.run(problem, plan: plan).finalStates[0]
        }
        let alternating = Stopwatch.compare(warmups: configuration.warmups, repetitions: configuration.repetitions) {
            sink += AlternatingForward.run(problem).finalStates[0]
        } candidate: {
            sink += FusedForward.run(problem, plan: plan).finalStates[0]
        }
        let sameKernel = Stopwatch.compare(warmups: configuration.warmups, repetitions: configuration.repetitions) {
            sink += AlternatingForward.run(problem, product: .portableSIMD).finalStates[0]
        } candidate: {
            sink += FusedForward.run(problem, plan: plan).finalStates[0]
        }
        var oneDNN: [VendorTiming] = []
        if OneDNNForward.supports(shape.cell) {
            for layout in OneDNNLayout.allCases {
                let vendor = try OneDNNForward(problem, layout: layout, threads: threads)
                let comparison = Stopwatch.compare(warmups: configuration.warmups, repetitions: configuration.repetitions) {
                    vendor.execute()
                } candidate: {
                    sink += FusedForward.run(problem, plan: plan).finalStates[0]
                }
                oneDNN.append(VendorTiming(layout: layout, comparison: PairedTimings(comparison), implementation: vendor.implementation))
                sink += vendor.output().finalStates[0]
            }
        }
        precondition(sink.isFinite, "throughput: a timed forward pass produced a non-finite state")
        return Row(headDim: d, batch: b, steps: shape.steps, heads: shape.heads, vanilla: PairedTimings(vanilla),
                   alternating: PairedTimings(alternating), alternatingSIMD: PairedTimings(sameKernel), oneDNN: oneDNN, threads: threads,
                   recurrentFlops: shape.recurrentFlops, bytesMoved: Self.bytesMoved(shape), plan: plan)
    }

    /// Bytes a forward pass must move at least: Wx read, h written for every step, R read once.
    static func bytesMoved(_ shape: RNNShape) -> Int {
        (shape.inputCount + shape.outputCount + shape.recurrentCount + shape.biasCount) * MemoryLayout<Float>.stride
    }

    /// Metrics and tables of measured shapes, `rows` in `grid` order; fractions of `limits`.
    func output(_ rows: [Row], limits: Limits) -> ExperimentOutput {
        var output = ExperimentOutput()
        var cells: [(order: (Int, Int, Int), byBatch: (Int, Int, Int), row: [CSVTable.Cell])] = []
        for row in rows {
            let prefix = "throughput/D=\(row.headDim)/B=\(row.batch)"
            let tokens = Double(row.batch * row.steps)
            let fused = row.alternating.candidate
            output.metrics[MetricName("\(prefix)/speedup_vs_vanilla")] = row.vanilla.metric()
            output.metrics[MetricName("\(prefix)/speedup_vs_alternating")] = row.alternating.metric()
            output.metrics[MetricName("\(prefix)/speedup_vs_alternating_simd")] = row.alternatingSIMD.metric()
            for vendor in row.oneDNN {
                let name = vendor.layout.rawValue.replacingOccurrences(of: "-", with: "_")
                output.metrics[MetricName("\(prefix)/speedup_fused_vs_\(name)")] = vendor.comparison.metric()
            }
            let limit = row.limit(limits)
            let fraction = fused.rate(limit.seconds, unit: "1")
            output.metrics[MetricName("\(prefix)/fraction_of_limit")] = fraction
            let gflops = fused.rate(row.recurrentFlops / 1e9, unit: "GFLOP/s")
            let fmaFraction = fused.rate(row.recurrentFlops / limits.fmaPeakFlops, unit: "1")
            output.metrics[MetricName("\(prefix)/gflops_fused")] = gflops
            output.metrics[MetricName("\(prefix)/fraction_of_fma_peak")] = fmaFraction
            // The fused row carries its ratio over vanilla, each alternating and oneDNN row fused's ratio over it.
            let vendors = row.oneDNN.enumerated().map { (4 + $0.offset, $0.element.layout.rawValue, $0.element.comparison.baseline, Optional($0.element.comparison.ratio)) }
            for (index, name, timing, ratio) in [(0, "vanilla", row.vanilla.baseline, TimingSummary?.none),
                                                 (1, "alternating", row.alternating.baseline, row.alternating.ratio),
                                                 (2, "alternating-simd", row.alternatingSIMD.baseline, row.alternatingSIMD.ratio),
                                                 (3, "fused", fused, row.vanilla.ratio)] + vendors {
                let rate = timing.rate(tokens, unit: "tokens/s")
                output.metrics[MetricName("\(prefix)/tokens_per_second_\(name.replacingOccurrences(of: "-", with: "_"))")] = rate
                cells.append(((index, row.batch, row.headDim), (index, row.headDim, row.batch), [
                    .integer(row.headDim), .integer(row.heads), .integer(row.batch), .integer(row.steps), .text(name),
                    .number(rate.value), .number(rate.interval!.lower), .number(rate.interval!.upper),
                    .number(ratio?.median ?? .nan), .number(ratio?.interval.lower ?? .nan), .number(ratio?.interval.upper ?? .nan),
                    .number(name == "fused" ? fraction.value : .nan), .text(limit.bound),
                    .integer(row.plan.recurrentBytesPerHead), .integer(row.plan.recurrentFitsL2 ? 1 : 0),
                    .number(name == "fused" ? gflops.value : .nan), .number(name == "fused" ? fmaFraction.value : .nan)]))
            }
        }
        // Each series a contiguous block, so gnuplot draws it as one line: by head dim within
        // (implementation, batch) in throughput.csv, by batch within (implementation, head dim)
        // in speedup_by_batch.csv.
        let columns = ["head_dim", "heads", "batch", "steps", "implementation", "tokens_per_second", "ci_lower", "ci_upper",
                       "speedup", "speedup_lower", "speedup_upper", "fraction_of_limit", "bound", "r_bytes_per_head", "r_fits_l2",
                       "gflops", "fraction_of_fma_peak"]
        var byHeadDim = CSVTable(columns: columns), byBatch = CSVTable(columns: columns)
        for entry in cells.sorted(by: { $0.order < $1.order }) { byHeadDim.append(entry.row) }
        for entry in cells.sorted(by: { $0.byBatch < $1.byBatch }) { byBatch.append(entry.row) }
        output.tables["throughput.csv"] = byHeadDim
        if let first = rows.first(where: { !$0.oneDNN.isEmpty }) {
            let chosen = first.oneDNN.map { "\($0.layout.rawValue): \($0.implementation)" }.joined(separator: ", ")
            output.notes["onednn"] = "\(OneDNNForward.libraryDescription); \(first.threads) thread(s); implementation \(chosen); " +
                "onednn = one primitive of hidden D per head, heads in turn (our recurrent flops), onednn-dense = one primitive of hidden N·D " +
                "with zero off-diagonal blocks (N× the recurrent flops); both also multiply Wx by a 0/1 selection (oneDNN's input product); " +
                "weights reordered and Wx cut per head before timing"
        }
        output.tables["speedup_by_batch.csv"] = byBatch
        for batch in configuration.batches {
            let mine = rows.filter { $0.batch == batch }
            let inCache = mine.filter { $0.plan.recurrentFitsL2 }.map(\.alternating.ratio)
            let outOfCache = mine.filter { !$0.plan.recurrentFitsL2 }.max { $0.headDim < $1.headDim }?.alternating.ratio
            for (suffix, ratios) in [("", inCache), ("_simd", mine.filter { $0.plan.recurrentFitsL2 }.map(\.alternatingSIMD.ratio))] {
                let name = MetricName("throughput/B=\(batch)/speedup_vs_alternating\(suffix)_in_cache")
                // No head dim whose R fits: nothing to measure, but the metric still exists (NaN).
                guard let worst = ratios.min(by: { $0.median < $1.median }) else {
                    output.metrics[name] = .timing(.nan, unit: "x")
                    continue
                }
                output.metrics[name] = .timing(
                    worst.median, unit: "x",
                    interval: MetricInterval(lower: ratios.map(\.interval.lower).min()!, upper: ratios.map(\.interval.upper).min()!, level: nil))
            }
            var shrink = Metric.timing(.nan, unit: "1")
            if let outOfCache, !inCache.isEmpty {
                let mean = { (values: [Double]) in exp(values.map { log($0) }.reduce(0, +) / Double(values.count)) }
                shrink = .timing(outOfCache.median / mean(inCache.map(\.median)), unit: "1", interval: MetricInterval(
                    lower: outOfCache.interval.lower / mean(inCache.map(\.interval.upper)),
                    upper: outOfCache.interval.upper / mean(inCache.map(\.interval.lower)), level: nil))
            }
            output.metrics[MetricName("throughput/B=\(batch)/advantage_out_vs_in_cache")] = shrink
        }
        return output
    }
}
