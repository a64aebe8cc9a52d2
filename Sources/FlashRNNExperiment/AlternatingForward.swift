import LinearAlgebra
import VectorKernels

/// The alternating implementation (FlashRNN Sec. 3, the non-fused baseline): per time step, one
/// BLAS sgemm per head for R·h (B × D times D × G_R·D), written to a preallocated buffer, then a
/// separate pointwise pass over every element with the same vector gates as the fused kernel
/// (`vk_rnn_pointwise_f32`). No temporaries; two passes over memory per step.
///
/// `product: .portableSIMD` computes R·h with the fused kernel's own register-blocked product
/// (`vk_rnn_recurrent_f32` over R packed once per pass, on the same ISA path) instead of
/// OpenBLAS, so that a comparison with the fused pass isolates fusion from the R·h kernel.
public enum AlternatingForward {
    public enum RecurrentProduct: String, Sendable { case blas, portableSIMD }

    public static func run(_ problem: RNNProblem, product: RecurrentProduct = .blas) -> RNNOutput<Float> {
        let shape = problem.shape, cell = shape.cell
        let (b, n, d, gr) = (shape.batch, shape.heads, shape.headDim, cell.recurrentGates)
        let hidden = shape.hidden, gateWidth = gr * d
        var state = [Float](repeating: 0, count: shape.stateCount)
        var outputs = [Float](repeating: 0, count: shape.outputCount)
        var ry = [Float](repeating: 0, count: b * n * gateWidth)
        let packed = product == .portableSIMD ? FusedForward.packedRecurrent(problem) : []
        problem.inputs.withUnsafeBufferPointer { wx in
            problem.recurrent.withUnsafeBufferPointer { r in
                packed.withUnsafeBufferPointer { packed in
                    problem.bias.withUnsafeBufferPointer { bias in
                        state.withUnsafeMutableBufferPointer { state in
                            ry.withUnsafeMutableBufferPointer { ry in
                                outputs.withUnsafeMutableBufferPointer { outputs in
                                    let (wx, r, bias, state, ry, outputs) = (wx.baseAddress!, r.baseAddress!, bias.baseAddress!,
                                                                             state.baseAddress!, ry.baseAddress!, outputs.baseAddress!)
                                    for t in 0..<shape.steps {
                                        // Ry[:, head] = H[:, head] · R_head, one sgemm per head.
                                        for head in 0..<n {
                                            switch product {
                                            case .blas:
                                                SinglePrecisionBLAS.gemm(
                                                    m: b, n: gateWidth, k: d, a: state + head * d, lda: hidden,
                                                    b: r + head * d * gateWidth, ldb: gateWidth, c: ry + head * gateWidth, ldc: n * gateWidth)
                                            case .portableSIMD:
                                                vk_rnn_recurrent_f32(
                                                    b, d, gateWidth, state + head * d, hidden, packed.baseAddress! + head * d * gateWidth,
                                                    ry + head * gateWidth, n * gateWidth)
                                            }
                                        }
                                        let wxStep = wx + t * b * cell.inputGates * hidden
                                        for batch in 0..<b {
                                            for head in 0..<n {
                                                let element = head * d
                                                vk_rnn_pointwise_f32(
                                                    cell.kernelCell, d, wxStep + batch * cell.inputGates * hidden + element, hidden,
                                                    ry + (batch * n + head) * gateWidth, d, bias + element, hidden,
                                                    state + batch * hidden + element, b * hidden)
                                            }
                                        }
                                        (outputs + t * b * hidden).update(from: state, count: b * hidden)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return RNNOutput(outputs: outputs, finalStates: state)
    }
}
