internal import COpenBLAS
import HarnessCore

/// Float32 BLAS on raw pointers (cblas_sgemm), for kernels that keep their own strided layouts
/// (head-wise RNN states: one head's columns inside a [batch][heads·dim] row). Row-major.
public enum SinglePrecisionBLAS {
    /// C[m×n] ← α·A[m×k]·B[k×n] + β·C, row-major with leading dimensions lda, ldb, ldc.
    public static func gemm(
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative dimension")
        precondition(lda >= max(k, 1) && ldb >= max(n, 1) && ldc >= max(n, 1), "sgemm: leading dimension too small")
        guard m > 0, n > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// sgemm throughput (flop/s) of one n×n·n×n product with OpenBLAS pinned to `threads`
    /// threads (restored afterwards): best of `repetitions` after a warm-up, counting 2n³ flops.
    /// The Float32 counterpart of `MachineProbes.gemmPeak`; a benchmark, never asserted on.
    public static func gemmPeak(threads: Int, dimension: Int = 1024, repetitions: Int = 3) -> Double {
        precondition(threads >= 1 && dimension >= 1 && repetitions >= 1, "sgemm peak: bad arguments")
        let previous = BLASRuntime.threads
        BLASRuntime.setThreads(threads)
        defer { BLASRuntime.setThreads(previous) }
        let n = dimension
        let a = (0..<n * n).map { Float(($0 * 7) % 17) / 17 - 0.5 }
        let b = (0..<n * n).map { Float(($0 * 5) % 11) / 11 - 0.5 }
        var c = [Float](repeating: 0, count: n * n)
        let timing = Stopwatch.measure(warmups: 1, repetitions: repetitions) {
            c.withUnsafeMutableBufferPointer { gemm(m: n, n: n, k: n, a: a, lda: n, b: b, ldb: n, c: $0.baseAddress!, ldc: n) }
        }
        return 2 * Double(n) * Double(n) * Double(n) / timing.samples.min()!
    }
}
