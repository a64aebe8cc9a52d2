import HarnessCore
import LinearAlgebra

/// The workload `claimbench perf --peers` gives numpy (`peers/kde_numpy.py`) at one dimension d:
/// the sample and queries the benchmark times its kernel sums on, and our log kernel sums
/// log Z_h(x) = log Σᵢ exp(−|x − yᵢ|²/(2h²)) (`KernelSums`) at one bandwidth and at the benchmark's
/// bandwidth grid: the log-densities up to the constant −log n − (d/2)·log(2πh²), which both
/// sides would add alike. The peer runs the same algorithm (blocks of `blockSize` points, one
/// GEMM for the cross terms, exponentials relative to the running smallest distance).
extension KernelDensityRegimesExperiment {
    /// Workloads are exported up to this dimension (issue 12's table: d = 30 and 128); the
    /// d = 512 sample alone would be a 160 MB file.
    static let peerMaximumDimension = 128

    static func peerWorkload(queries: Matrix, sample: GaussianSample, blockSize: Int, grid: [Double], h: Double, repetitions: Int) throws -> PeerWorkload {
        let d = queries.columns, q = queries.rows
        func ours(_ bandwidths: [Double]) throws -> NumPyArray {
            var sums = try KernelSums(queries: queries, bandwidths: bandwidths)
            for first in stride(from: 0, to: sample.count, by: blockSize) {
                try sums.add(sample.block(first: first, rows: min(blockSize, sample.count - first)))
            }
            var values: [Double] = []
            values.reserveCapacity(q * bandwidths.count)
            for i in 0..<q { for b in bandwidths.indices { values.append(sums.logKernelSum(query: i, bandwidth: b)) } }
            return NumPyArray(shape: [q, bandwidths.count], float64: values)
        }
        let data = sample.matrix()
        return PeerWorkload(
            kind: "kde", name: "kde/d=\(d)",
            parameters: ["block_size": Double(blockSize), "repetitions": Double(repetitions)],
            inputs: ["data": NumPyArray(shape: [data.rows, d], float64: data.elements),
                     "queries": NumPyArray(shape: [q, d], float64: queries.elements)],
            cases: [
                .init(name: "kde/d=\(d)/bandwidths=1", oursMetric: MetricName("d=\(d)/kernel_sum_seconds"),
                      oursOutput: try ours([h]), inputs: ["bandwidths": NumPyArray(shape: [1], float64: [h])]),
                .init(name: "kde/d=\(d)/bandwidths=\(grid.count)", oursMetric: MetricName("d=\(d)/kernel_sum_seconds_all_bandwidths"),
                      oursOutput: try ours(grid), inputs: ["bandwidths": NumPyArray(shape: [grid.count], float64: grid)]),
            ])
    }
}
