import LinearAlgebra

/// The alternating implementation (FlashRNN Sec. 3, the non-fused baseline): per time step, one
/// BLAS sgemm per head for R·h (B × D times D × G_R·D), written to a preallocated buffer, then a
/// separate pointwise pass over every element with the same eight-lane gates as the fused kernel
/// (`VectorPointwise`). No temporaries; two passes over memory per step.
///
/// `product: .portableSIMD` computes R·h with the fused kernel's own panel product instead of
/// OpenBLAS, so that a comparison with the fused pass isolates fusion from the R·h kernel
/// (OpenBLAS dispatches AVX-512 at run time; Swift SIMD is compiled for baseline x86-64).
public enum AlternatingForward {
    public enum RecurrentProduct: String, Sendable { case blas, portableSIMD }

    public static func run(_ problem: RNNProblem, product: RecurrentProduct = .blas) -> RNNOutput<Float> {
        let shape = problem.shape, cell = shape.cell
        let (b, n, d, gr) = (shape.batch, shape.heads, shape.headDim, cell.recurrentGates)
        let hidden = shape.hidden, gateWidth = gr * d
        var state = [Float](repeating: 0, count: shape.stateCount)
        var outputs = [Float](repeating: 0, count: shape.outputCount)
        var ry = [Float](repeating: 0, count: b * n * gateWidth)
        problem.inputs.withUnsafeBufferPointer { wx in
            problem.recurrent.withUnsafeBufferPointer { r in
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
                                            for batch in 0..<b {
                                                FusedForward.panelProduct(
                                                    h: state + batch * hidden + head * d, r: r + head * d * gateWidth, rowStride: gateWidth,
                                                    depth: d, width: gateWidth, out: ry + (batch * n + head) * gateWidth)
                                            }
                                        }
                                    }
                                    let wxStep = wx + t * b * cell.inputGates * hidden
                                    for batch in 0..<b {
                                        for head in 0..<n {
                                            let element = head * d
                                            VectorPointwise.updateRow(
                                                cell, count: d,
                                                wx: wxStep + batch * cell.inputGates * hidden + element, wxStride: hidden,
                                                ry: ry + (batch * n + head) * gateWidth, ryStride: d,
                                                bias: bias + element, biasStride: hidden,
                                                state: state + batch * hidden + element, stateStride: b * hidden)
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
        return RNNOutput(outputs: outputs, finalStates: state)
    }
}
