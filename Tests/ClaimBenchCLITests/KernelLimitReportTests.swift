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
            "kernel Sinkhorn iteration (dgemv): path OpenBLAS core \(BLASRuntime.activeCoreName); fraction of read bandwidth: n=500 0.50, n=1000 0.25",
        ])
        let kde = KernelLimitReport.lines(
            suite: "kde.regimes", metrics: ["d=30/kernel_sum_fraction_of_peak": .timing(0.126, unit: "1")], kernelPaths: ["VectorExp": "avx2-fma"])
        XCTAssertEqual(kde, ["kernel KDE kernel sums, 1 bandwidth: path avx2-fma; fraction of dgemm peak: d=30 0.13"])
        XCTAssertEqual(KernelLimitReport.lines(suite: "kde.regimes", metrics: [:], kernelPaths: [:]), [])
    }
}
