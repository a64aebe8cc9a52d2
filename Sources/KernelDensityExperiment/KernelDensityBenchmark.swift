import Foundation
import HarnessCore
import LinearAlgebra

/// `claimbench perf kde`: the blocked kernel sums (`KernelSums`) for each d of `[perf]`, on a
/// pre-generated Gaussian sample of `points` points and `queries` queries.
///
/// Metrics, named `d=<d>/<metric>`, medians with ~95% intervals:
/// - `gemm_fraction_of_peak`: the cross-term dgemm calls alone (2·n·q·d flops) against the dgemm
///   peak measured in the same run (`MachineLimits.gemmPeak`);
/// - `kernel_sum_fraction_of_peak`: the whole kernel sum (dgemm, distances, exponentials,
///   log-sum-exp, nearest points) at one bandwidth, counted as its 2·n·q·d dgemm flops, against the
///   same peak: 1 would mean the non-dgemm work were free;
/// - `kernel_sum_fraction_of_peak_all_bandwidths`: the same with `bandwidths` bandwidths at once,
///   as the experiment runs it; `kernel_sum_seconds` and `kernel_sum_seconds_all_bandwidths`, the
///   same timings in seconds (our side of `perf --peers`);
/// - `speedup_over_direct_sum`: a direct double loop (|x − y|² term by term, two passes of
///   `Foundation.exp` for a log-sum-exp) over the blocked sum, timed side by side, one bandwidth.
extension KernelDensityRegimesExperiment: PerformanceBenchmark {
    public struct PerfParameters: Encodable, Sendable {
        public var dimensions: [Int]
        public var points: Int
        public var queries: Int
        public var bandwidths: Int
        public var repetitions: Int
    }

    public static func decodePerfParameters(_ table: ParameterTable) throws -> PerfParameters {
        let parameters = PerfParameters(
            dimensions: try table.required("dimensions"), points: try table.required("points"),
            queries: try table.required("queries"), bandwidths: try table.value("bandwidths", default: 14),
            repetitions: try table.value("repetitions", default: 7))
        try table.finish()
        if parameters.dimensions.isEmpty || parameters.dimensions.contains(where: { !(1...4096).contains($0) }) {
            throw table.error("dimensions", "name dimensions in 1…4096")
        }
        if !(1...SampleSize.maximumPoints).contains(parameters.points) {
            throw table.error("points", "must be in 1…\(SampleSize.maximumPoints), got \(parameters.points)")
        }
        if parameters.queries < 1 { throw table.error("queries", "must be at least 1") }
        if parameters.bandwidths < 1 { throw table.error("bandwidths", "must be at least 1") }
        if !(3...1000).contains(parameters.repetitions) { throw table.error("repetitions", "must be in 3…1000") }
        return parameters
    }

    public static func benchmark(_ parameters: PerfParameters, limits: MachineLimits, context: RunContext) throws -> ExperimentOutput {
        var output = ExperimentOutput()
        var perf = PerformanceTable(column: "d", label: "d")
        func record(_ d: Int, _ name: String, _ metric: Metric) { perf.record(d, name, metric) }
        let blockSize = 2048
        var sink = 0.0
        for (index, d) in parameters.dimensions.enumerated() {
            context.progress.update(done: index, total: parameters.dimensions.count, detail: "d=\(d)")
            let n = parameters.points, q = parameters.queries
            let sample = GaussianSample(stream: context.streams.stream("kde/perf/data/d=\(d)"), count: n, dimension: d)
            let blocks = stride(from: 0, to: n, by: blockSize).map { sample.block(first: $0, rows: min(blockSize, n - $0)) }
            let queries = Matrix(rows: q, columns: d, elements: context.streams.stream("kde/perf/queries/d=\(d)").normals(q * d))
            let h = 1.0
            let flops = 2 * Double(n) * Double(q) * Double(d)

            var cross = Matrix(rows: q, columns: blockSize)
            var partial = Matrix(rows: q, columns: blocks.last!.rows)
            let gemm = Stopwatch.measure(repetitions: parameters.repetitions) {
                for block in blocks {
                    if block.rows == blockSize { BLAS.gemm(.none, .transposed, queries, block, &cross) }
                    else { BLAS.gemm(.none, .transposed, queries, block, &partial) }
                }
                sink += cross[0, 0] + partial[0, 0]
            }
            record(d, "gemm_fraction_of_peak", gemm.rate(flops / limits.gemmPeak, unit: "1"))

            func blocked(_ bandwidths: [Double]) throws -> Double {
                var sums = try KernelSums(queries: queries, bandwidths: bandwidths)
                for block in blocks { try sums.add(block) }
                return sums.logKernelSum(query: 0, bandwidth: 0)
            }
            let one = try Stopwatch.measure(repetitions: parameters.repetitions) { sink += try blocked([h]) }
            record(d, "kernel_sum_fraction_of_peak", one.rate(flops / limits.gemmPeak, unit: "1"))
            let grid = (0..<parameters.bandwidths).map { 0.5 + 2.5 * Double($0) / Double(max(1, parameters.bandwidths - 1)) }
            let all = try Stopwatch.measure(repetitions: parameters.repetitions) { sink += try blocked(grid) }
            record(d, "kernel_sum_fraction_of_peak_all_bandwidths", all.rate(flops / limits.gemmPeak, unit: "1"))
            record(d, "kernel_sum_seconds", one.metric())
            record(d, "kernel_sum_seconds_all_bandwidths", all.metric())
            if let export = context.peerExport, d <= peerMaximumDimension {
                try export.submit(peerWorkload(queries: queries, sample: sample, blockSize: blockSize, grid: grid, h: h,
                                              repetitions: parameters.repetitions))
            }
            record(d, "gemm_seconds", gemm.metric())

            let data = sample.matrix()
            let speedup = try Stopwatch.compare(repetitions: parameters.repetitions) {
                sink += directLogKernelSums(queries: queries, sample: data, bandwidth: h)[0]
            } candidate: {
                sink += try blocked([h])
            }
            record(d, "speedup_over_direct_sum", speedup.metric())
            if sink.isNaN { output.notes["d=\(d)/nan_seen"] = "a timed computation produced NaN" }
        }
        context.progress.update(done: parameters.dimensions.count, total: parameters.dimensions.count, detail: "done")
        output.metrics.merge(perf.metrics) { _, new in new }
        output.tables["perf.csv"] = perf.table
        output.notes["gemm_peak_gflops"] = String(format: "%.2f", limits.gemmPeak / 1e9)
        output.notes["flop_count"] = "2·n·q·d (the cross-term dgemm) for every fraction of peak"
        output.notes["problem"] = "n = \(parameters.points), q = \(parameters.queries), blocks of 2048 points, bandwidths = \(parameters.bandwidths) in the all-bandwidths timing"
        return output
    }

    /// The baseline: log Σ exp(−|x − y|²/(2h²)) term by term, max first, then the sum (Foundation.exp).
    static func directLogKernelSums(queries: Matrix, sample: Matrix, bandwidth h: Double) -> [Double] {
        let d = queries.columns, t = 1 / (2 * h * h)
        var distances = [Double](repeating: 0, count: sample.rows)
        return (0..<queries.rows).map { i in
            var smallest = Double.infinity
            for j in 0..<sample.rows {
                var s = 0.0
                for c in 0..<d {
                    let diff = queries[i, c] - sample[j, c]
                    s += diff * diff
                }
                distances[j] = s
                smallest = min(smallest, s)
            }
            var total = 0.0
            for j in 0..<sample.rows { total += Foundation.exp(-t * (distances[j] - smallest)) }
            return -t * smallest + log(total)
        }
    }
}
