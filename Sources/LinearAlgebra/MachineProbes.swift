import Foundation
public import HarnessCore
internal import VectorKernels

/// Measures this machine's own limits (sustained memory read bandwidth, dgemm throughput) in
/// the same run as the benchmarks they normalise. These are benchmarks: never assert on the
/// numbers in tests. Defaults keep the whole `measureMachineLimits` call to about 1–3 s.
public enum MachineProbes {
    /// One bandwidth measurement.
    public struct Bandwidth: Sendable, Equatable {
        /// Bytes read per second in the fastest repetition.
        public var bytesPerSecond: Double
        /// Bytes read per repetition (the array size).
        public var bytes: Int
        /// Seconds of the fastest repetition.
        public var seconds: Double
        /// Seconds of every timed repetition, in order.
        public var samples: [Double]
        /// Sum of the array, checked against its closed form so the reads cannot be elided.
        public var checksum: Double
    }

    /// One dgemm throughput measurement.
    public struct GemmThroughput: Sendable, Equatable {
        /// 2n³ / seconds of the fastest repetition.
        public var flopsPerSecond: Double
        /// n of the n×n·n×n product.
        public var dimension: Int
        /// Seconds of the fastest repetition.
        public var seconds: Double
        /// Seconds of every timed repetition, in order.
        public var samples: [Double]
    }

    /// Sustained read bandwidth: a vectorised sum over an array far larger than the last-level
    /// cache (default 256 MiB vs. 32 MiB L3), split in contiguous chunks over `threads` threads
    /// with `DispatchQueue.concurrentPerform`; best of `repetitions` after one untimed pass.
    public static func memoryBandwidth(threads: Int, bytes: Int = 256 << 20, repetitions: Int = 10) -> Bandwidth {
        precondition(threads >= 1, "memoryBandwidth: threads must be at least 1")
        precondition(repetitions >= 1, "memoryBandwidth: repetitions must be at least 1")
        let block = StreamingSum.elementsPerIteration
        let count = max(bytes / MemoryLayout<Double>.stride / block, threads) * block
        let array = SharedDoubles(count: count)
        defer { array.deallocate() }
        // Entries are small integers, so every partial sum is exact in any order and the
        // checksum has a closed form. Filling is parallel so pages are first touched by the
        // threads that later read them.
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let range = array.chunk(t, of: threads, alignedTo: block)
            for i in range { array.base[i] = Double(i & 1023) }
        }
        let fullCycles = count / 1024, tail = count % 1024
        let expected = Double(fullCycles) * (1023 * 1024 / 2) + Double(tail * (tail - 1) / 2)

        var samples: [Double] = []
        var checksum = 0.0
        for repetition in 0...repetitions {
            let partials = SharedDoubles(count: threads)
            defer { partials.deallocate() }
            let seconds = Stopwatch.time {
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    let range = array.chunk(t, of: threads, alignedTo: block)
                    partials.base[t] = StreamingSum.sum(array.base + range.lowerBound, count: range.count)
                }
            }
            checksum = (0..<threads).reduce(0) { $0 + partials.base[$1] }
            precondition(checksum == expected, "memoryBandwidth: checksum \(checksum) ≠ \(expected)")
            if repetition > 0 { samples.append(seconds) }  // repetition 0 is the warm-up
        }
        let best = samples.min()!
        let bytesRead = count * MemoryLayout<Double>.stride
        return Bandwidth(
            bytesPerSecond: Double(bytesRead) / best, bytes: bytesRead, seconds: best, samples: samples, checksum: checksum)
    }

    /// dgemm throughput with OpenBLAS pinned to `threads` threads (restored afterwards): best of
    /// `repetitions` timed C = A·B after one warm-up, counting 2n³ flops.
    ///
    /// - Parameter dimension: n; nil sizes the product to take about `targetSeconds` from a
    ///   short calibration run (rounded to a multiple of 128, within 256…4096).
    public static func gemmPeak(
        threads: Int, dimension: Int? = nil, targetSeconds: Double = 0.3, repetitions: Int = 3
    ) -> GemmThroughput {
        precondition(threads >= 1, "gemmPeak: threads must be at least 1")
        precondition(repetitions >= 1, "gemmPeak: repetitions must be at least 1")
        let previousThreads = BLASRuntime.threads
        BLASRuntime.setThreads(threads)
        defer { BLASRuntime.setThreads(previousThreads) }

        let n = dimension ?? calibratedDimension(targetSeconds: targetSeconds)
        precondition(n >= 1, "gemmPeak: dimension must be at least 1")
        let a = Matrix(rows: n, columns: n) { i, j in Double((i * 7 + j * 13) % 17) / 17 - 0.5 }
        let b = Matrix(rows: n, columns: n) { i, j in Double((i * 5 + j * 3) % 11) / 11 - 0.5 }
        var c = Matrix(rows: n, columns: n)
        let timing = Stopwatch.measure(warmups: 1, repetitions: repetitions) { BLAS.gemm(.none, .none, a, b, &c) }
        let best = timing.samples.min()!
        let flops = 2 * Double(n) * Double(n) * Double(n)
        return GemmThroughput(flopsPerSecond: flops / best, dimension: n, seconds: best, samples: timing.samples)
    }

    /// The floating-point precision of a peak probe.
    public enum Precision: String, Sendable, Equatable {
        case float32, float64
    }

    /// One multiply-add peak measurement (`fmaPeak`).
    public struct FMAThroughput: Sendable, Equatable {
        /// threads × iterations × flopsPerIteration / seconds of the fastest repetition.
        public var flopsPerSecond: Double
        public var precision: Precision
        public var threads: Int
        /// Iterations of the chain loop per thread and repetition.
        public var iterations: Int
        /// Flops of one iteration on one thread: 2 × chains × lanes (each multiply-add is 2 flops).
        public var flopsPerIteration: Int
        /// Seconds of the fastest repetition.
        public var seconds: Double
        /// Seconds of every timed repetition, in order.
        public var samples: [Double]
        /// The VectorKernels path that ran ("baseline", "avx2-fma", "avx512").
        public var path: String
    }

    /// Flops of one `fmaPeak` chain-loop iteration on one thread on the active path: 2 × the
    /// multiply-adds it issues (independent chains × vector lanes; `VectorKernelsPeak.h`).
    public static func fmaFlopsPerIteration(_ precision: Precision) -> Int {
        2 * (precision == .float32 ? vk_fma_per_iteration_f32() : vk_fma_per_iteration_f64())
    }

    /// Multiply-adds counted by running the chains `iterations` times with x ← x·1 + 1 from 0:
    /// the probe's own count of its work, which must equal iterations × fmaFlopsPerIteration / 2
    /// (exact while iterations < 2²⁴).
    public static func fmaCount(_ precision: Precision, iterations: Int) -> Double {
        precision == .float32 ? vk_fma_chains_f32(iterations, 1, 1) : vk_fma_chains_f64(iterations, 1, 1)
    }

    /// The machine's measured multiply-add peak: each of `threads` threads runs independent
    /// multiply-add chains (enough to cover the units' latency × throughput, all in registers) for
    /// `iterations` rounds on the VectorKernels path `vk_active_isa()` names; best of
    /// `repetitions` after one untimed run. The limit a compute-bound Float32 kernel is held
    /// against (`NominalPeak` is the same formula from a table and the clock).
    ///
    /// - Parameter iterations: rounds per thread; the default (20 M) takes about 10–40 ms per
    ///   repetition on a 2–3 GHz core.
    public static func fmaPeak(precision: Precision, threads: Int, iterations: Int = 20_000_000, repetitions: Int = 5) -> FMAThroughput {
        precondition(threads >= 1, "fmaPeak: threads must be at least 1")
        precondition(iterations >= 1 && repetitions >= 1, "fmaPeak: iterations and repetitions must be at least 1")
        let sums = SharedDoubles(count: threads)
        defer { sums.deallocate() }
        // a slightly below 1 and a small b keep every chain near 1: no overflow, no subnormals.
        let run = {
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                sums.base[t] = precision == .float32
                    ? vk_fma_chains_f32(iterations, 0.999_999_9, 1e-7) : vk_fma_chains_f64(iterations, 0.999_999_9, 1e-7)
            }
        }
        let timing = Stopwatch.measure(warmups: 1, repetitions: repetitions) { run() }
        precondition((0..<threads).allSatisfy { sums.base[$0].isFinite }, "fmaPeak: a chain left the finite range")
        let best = timing.samples.min()!
        let perIteration = fmaFlopsPerIteration(precision)
        return FMAThroughput(
            flopsPerSecond: Double(threads) * Double(iterations) * Double(perIteration) / best, precision: precision,
            threads: threads, iterations: iterations, flopsPerIteration: perIteration, seconds: best, samples: timing.samples,
            path: VectorISA.active.rawValue)
    }

    /// Both probes with the same thread count, as the harness records them. The defaults are
    /// the benchmark settings; tests pass small sizes.
    public static func measureMachineLimits(
        threads: Int, bandwidthBytes: Int = 256 << 20, gemmDimension: Int? = nil
    ) -> MachineLimits {
        let bandwidth = memoryBandwidth(threads: threads, bytes: bandwidthBytes)
        let gemm = gemmPeak(threads: threads, dimension: gemmDimension)
        return MachineLimits(memoryBandwidth: bandwidth.bytesPerSecond, gemmPeak: gemm.flopsPerSecond, threads: threads)
    }

    /// n for which one n×n dgemm takes about `targetSeconds`, from the rate of a 512³ product
    /// (which also starts OpenBLAS's thread pool).
    private static func calibratedDimension(targetSeconds: Double) -> Int {
        let probe = 512
        let a = Matrix(rows: probe, columns: probe, repeating: 0.5)
        var c = Matrix(rows: probe, columns: probe)
        BLAS.gemm(.none, .none, a, a, &c)
        let seconds = Stopwatch.time { BLAS.gemm(.none, .none, a, a, &c) }
        let rate = 2 * Double(probe * probe * probe) / max(seconds, 1e-9)
        let n = cbrt(rate * targetSeconds / 2)
        let rounded = Int((n / 128).rounded()) * 128
        return min(max(rounded, 256), 4096)
    }
}

/// The bandwidth kernel: a sum with 4 independent SIMD8 accumulators (32 doubles in flight per
/// iteration), so the loop is limited by memory reads, not by the latency of dependent adds.
private enum StreamingSum {
    static let elementsPerIteration = 32

    /// Sum of `count` doubles at `base`; `count` is a multiple of `elementsPerIteration`.
    @inline(never)
    static func sum(_ base: UnsafeMutablePointer<Double>, count: Int) -> Double {
        let raw = UnsafeRawPointer(base)
        let stride = MemoryLayout<SIMD8<Double>>.stride
        var s0 = SIMD8<Double>(), s1 = SIMD8<Double>(), s2 = SIMD8<Double>(), s3 = SIMD8<Double>()
        var offset = 0
        let end = count * MemoryLayout<Double>.stride
        while offset < end {
            s0 += raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
            s1 += raw.loadUnaligned(fromByteOffset: offset + stride, as: SIMD8<Double>.self)
            s2 += raw.loadUnaligned(fromByteOffset: offset + 2 * stride, as: SIMD8<Double>.self)
            s3 += raw.loadUnaligned(fromByteOffset: offset + 3 * stride, as: SIMD8<Double>.self)
            offset += 4 * stride
        }
        return ((s0 + s1) + (s2 + s3)).sum()
    }
}

/// A manually allocated array of doubles shared by the `concurrentPerform` workers.
///
/// `@unchecked Sendable` is safe here because every worker writes only its own disjoint index
/// range (its chunk, or its own partial-sum slot), reads happen after the writes are joined by
/// `concurrentPerform` returning, and the owner deallocates only after all workers finished.
private struct SharedDoubles: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
    let count: Int

    init(count: Int) {
        // 64-byte aligned so each SIMD8 load is one cache line. Left uninitialised (Double is
        // trivial): the workers write every entry before it is read, and so first-touch the pages.
        base = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Double>.stride, alignment: 64)
            .bindMemory(to: Double.self, capacity: count)
        self.count = count
    }

    func deallocate() { UnsafeMutableRawPointer(base).deallocate() }

    /// Worker `t`'s contiguous share of the indices, with boundaries on multiples of `block`.
    func chunk(_ t: Int, of workers: Int, alignedTo block: Int) -> Range<Int> {
        let blocks = count / block
        let lower = blocks * t / workers * block
        let upper = blocks * (t + 1) / workers * block
        return lower..<upper
    }
}
