import Foundation
import HarnessCore
import LinearAlgebra
import VectorKernels
import XCTest
@testable import FlashRNNExperiment

/// The C kernels behind the fused pass (`VectorKernelsRNN.h`) on every ISA path this CPU runs
/// (`VectorISA.forEachRunnable`: one test at a time, the previous path restored): R·h bit for bit
/// against a plain loop with the path's rounding, the gates against Float64 within a stated ulp
/// bound, and whole passes against the Float64 reference at odd sizes (D not a multiple of any
/// vector width, B = 1 and 3).
final class FusedKernelPathTests: XCTestCase {
    /// 2⁻²⁴: one ulp of a Float32 in [0.5, 1), relative.
    let ulp = 0x1p-24

    func normals(_ name: String, _ count: Int, scale: Double = 1) -> [Float] {
        RandomStreams(seed: 31).stream("fused-kernel-tests/\(name)").normals(count).map { Float($0 * scale) }
    }

    /// out = h·R for rows 1…7 (every register block height and the 6 + remainder splits) and
    /// widths with full blocks, narrower blocks and scalar tails: each entry equal, bit for bit,
    /// to Σ_k h_k R_kj accumulated k ascending from 0 with the path's rounding (one fused
    /// multiply-add per term on the FMA paths, a product and a sum on the baseline path).
    func testRecurrentProductMatchesPlainLoopBitForBit() {
        for (depth, width) in [(3, 12), (13, 52), (16, 64), (24, 72), (37, 148), (64, 256)] {
            for rows in 1...7 {
                let hStride = depth + 5
                let h = normals("h/\(depth)/\(rows)", rows * hStride), r = normals("r/\(depth)", depth * width, scale: 0.3)
                var packed = [Float](repeating: .nan, count: depth * width)
                vk_rnn_pack_f32(1, depth, width, r, &packed)
                XCTAssertFalse(packed.contains { $0.isNaN }, "packing fills every entry")
                VectorISA.forEachRunnable { isa in
                    var out = [Float](repeating: .nan, count: rows * width)
                    vk_rnn_recurrent_f32(rows, depth, width, h, hStride, packed, &out, width)
                    var mismatches = 0
                    for i in 0..<rows {
                        for j in 0..<width {
                            var a: Float = 0
                            for k in 0..<depth {
                                let (x, y) = (h[i * hStride + k], r[k * width + j])
                                a = isa == .baseline ? a + x * y : a.addingProduct(x, y)
                            }
                            if out[i * width + j].bitPattern != a.bitPattern { mismatches += 1 }
                        }
                    }
                    XCTAssertEqual(mismatches, 0, "\(isa) depth=\(depth) width=\(width) rows=\(rows)")
                }
            }
        }
    }

    /// σ and tanh on the active path against Float64: relative error at most 4 ulp (4·2⁻²⁴) for
    /// x in [−80, 80] (σ) and for every x (tanh, including tiny |x| where 2σ(2x) − 1 would lose
    /// all relative accuracy); beyond −87.3 σ is clamped to ~1e-38. A tail shorter than the vector
    /// width gives the same bits as the same values inside a full vector.
    func testGatesWithinFourUlpOnEveryPath() {
        var xs: [Float] = stride(from: -80.0, through: 80.0, by: 0.0007).map { Float($0) }
        xs += (0..<400).flatMap { i -> [Float] in let x = Float(1e-9 * pow(1.05, Double(i))); return [x, -x] }
        VectorISA.forEachRunnable { isa in
            var s = [Float](repeating: 0, count: xs.count), t = s
            vk_rnn_sigmoid_f32(xs.count, xs, &s)
            vk_rnn_tanh_f32(xs.count, xs, &t)
            var worstSigmoid = 0.0, worstTanh = 0.0
            for (i, x) in xs.enumerated() {
                let d = Double(x)
                let exactS = 1 / (1 + Foundation.exp(-d)), exactT = Foundation.tanh(d)
                worstSigmoid = max(worstSigmoid, abs(Double(s[i]) - exactS) / exactS)
                if exactT != 0 { worstTanh = max(worstTanh, abs(Double(t[i]) - exactT) / abs(exactT)) }
            }
            XCTAssertLessThanOrEqual(worstSigmoid, 4 * ulp, "\(isa) σ: \(worstSigmoid / ulp) ulp")
            XCTAssertLessThanOrEqual(worstTanh, 4 * ulp, "\(isa) tanh: \(worstTanh / ulp) ulp")
            var extreme = [Float](repeating: 0, count: 4)
            vk_rnn_sigmoid_f32(4, [-1000, -100, 100, 1000], &extreme)
            XCTAssertTrue(extreme[0] > 0 && extreme[0] < 2e-38 && extreme[1] < 2e-38, "\(extreme)")
            XCTAssertEqual(extreme[2], 1)
            XCTAssertEqual(extreme[3], 1)
            vk_rnn_tanh_f32(4, [-1000, -10, 10, 1000], &extreme)
            XCTAssertEqual(extreme, [-1, -1, 1, 1])
            // Tails: 3 values alone vs the same values within a 40-value run.
            let sample = Array(xs[1000..<1040])
            var whole = [Float](repeating: 0, count: 40), tail = [Float](repeating: 0, count: 3)
            vk_rnn_tanh_f32(40, sample, &whole)
            vk_rnn_tanh_f32(3, Array(sample[37...]), &tail)
            XCTAssertEqual(tail.map(\.bitPattern), whole[37...].map(\.bitPattern), "\(isa) tail")
        }
    }

    /// Whole fused passes on every path and cell at odd sizes: within 2e-5 of the Float64
    /// reference (the suite's golden tolerance for max_abs_error), bit-identical for 1 and 3
    /// threads, and the alternating pass with the same R·h kernel within the same bound.
    func testFusedPassOnEveryPathAgreesWithReference() throws {
        for cell in RNNCell.allCases {
            for (batch, heads, d) in [(1, 2, 13), (3, 3, 5), (3, 1, 37), (4, 2, 24)] {
                let problem = try RNNFixtures.problem(cell, batch: batch, steps: 9, heads: heads, headDim: d)
                let reference = ReferenceForward.run(problem, as: Double.self)
                VectorISA.forEachRunnable { isa in
                    let one = FusedForward.run(problem, plan: TilingPlan(shape: problem.shape, threads: 1, cache: RNNFixtures.cache))
                    let three = FusedForward.run(problem, plan: TilingPlan(shape: problem.shape, threads: 3, cache: RNNFixtures.cache))
                    let error = AgreementCheck.maxError(one, reference)
                    XCTAssertLessThan(error, 2e-5, "\(isa) \(cell) B=\(batch) N=\(heads) D=\(d)")
                    XCTAssertTrue(AgreementCheck.bitIdentical(one, three), "\(isa) \(cell) D=\(d) threads")
                    let alternating = AlternatingForward.run(problem, product: .portableSIMD)
                    XCTAssertLessThan(AgreementCheck.maxError(alternating, reference), 2e-5, "\(isa) \(cell) alternating")
                }
            }
        }
    }

    /// The two FMA paths round every operation alike (lanes are independent, tails padded), so
    /// AVX2+FMA and AVX-512 give the same bits; the baseline path may differ, within tolerance.
    func testAVX2AndAVX512AgreeBitForBit() throws {
        try XCTSkipUnless(VectorISA.runnable.contains(.avx512), "this CPU has no AVX-512: nothing to compare (the AVX-512 path is compiled, not run)")
        let problem = try RNNFixtures.problem(.lstm, batch: 5, steps: 7, heads: 2, headDim: 40)
        var outputs: [VectorISA: RNNOutput<Float>] = [:]
        VectorISA.forEachRunnable { isa in
            outputs[isa] = FusedForward.run(problem, plan: TilingPlan(shape: problem.shape, threads: 1, cache: RNNFixtures.cache))
        }
        XCTAssertTrue(AgreementCheck.bitIdentical(try XCTUnwrap(outputs[.avx2FMA]), try XCTUnwrap(outputs[.avx512])))
    }
}
