import HarnessCore
import LinearAlgebra
import XCTest

@testable import ClaimBenchCLI

/// The per-kernel lines of `perf`: path and fraction of the limit, sizes in numeric order.
final class KernelLimitReportTests: XCTestCase {
    func testEachKernelNamesItsPathAndItsFractions() {
        let metrics: [MetricName: Metric] = [
            "n=1000/fraction_of_streaming_limit": .timing(0.25, unit: "1"),
            "n=500/fraction_of_streaming_limit": .timing(0.5, unit: "1"),
            "n=500/sinkhorn_iteration_seconds": .timing(1e-4, unit: "s"),
        ]
        let lines = KernelLimitReport.lines(suite: "sinkhorn.convergence", metrics: metrics, kernelPaths: [:])
        XCTAssertEqual(lines, [
            "kernel Sinkhorn iteration (one sweep over K): path not recorded; fraction of read bandwidth: n=500 0.50, n=1000 0.25",
        ])
        let kde = KernelLimitReport.lines(
            suite: "kde.regimes", metrics: ["d=30/kernel_sum_fraction_of_peak": .timing(0.126, unit: "1")], kernelPaths: ["KDE KernelSums row": "avx2-fma"])
        XCTAssertEqual(kde, ["kernel KDE kernel sums, 1 bandwidth: path avx2-fma; fraction of dgemm peak: d=30 0.13"])
        XCTAssertEqual(KernelLimitReport.lines(suite: "kde.regimes", metrics: [:], kernelPaths: [:]), [])
        let rnn = KernelLimitReport.lines(
            suite: "rnn.throughput", metrics: ["throughput/D=64/B=8/fraction_of_fma_peak": .timing(0.3, unit: "1")],
            kernelPaths: ["FusedRNN": "avx2-fma (C, runtime dispatch, detected)"])
        XCTAssertEqual(rnn, ["kernel fused RNN pass: path avx2-fma (C, runtime dispatch, detected); fraction of Float32 FMA peak: throughput/D=64/B=8 0.30"])
    }
}
