import Foundation
import VectorKernels

/// The fused implementation, the CPU analogue of FlashRNN's fused kernel (Sec. 3–4): each worker
/// owns a fixed set of (head, batch tile) work items and runs them through all T steps, so its
/// heads' R blocks (D × G_R·D each) stay in cache across steps; within a step, R·h for the tile
/// and the gate nonlinearities run in one pass over a small accumulator tile. The step is the C
/// kernel `vk_rnn_fused_f32` (VectorKernels, `VectorKernelsRNN.h`) on the ISA path
/// `vk_active_isa()` names: register blocks of batch rows × vector columns with FMA over R packed
/// once per pass into ~16 KiB column panels, and vectorised σ/tanh of its own (no libm; sLSTM's
/// gates go through libm per element). No allocation inside the time loop.
///
/// Heads and batch rows never interact, so work items write disjoint states; each output is
/// computed by one thread with a fixed summation order (k ascending) and lane-independent gate
/// arithmetic, so the result is bit-identical for every thread count (and between the AVX2+FMA
/// and AVX-512 paths; the baseline path differs by FMA's single rounding).
public enum FusedForward {
    public static func run(_ problem: RNNProblem, plan: TilingPlan) -> RNNOutput<Float> {
        let shape = problem.shape
        var state = [Float](repeating: 0, count: shape.stateCount)
        var outputs = [Float](repeating: 0, count: shape.outputCount)
        let packed = packedRecurrent(problem)
        problem.inputs.withUnsafeBufferPointer { wx in
            packed.withUnsafeBufferPointer { r in
                problem.bias.withUnsafeBufferPointer { bias in
                    state.withUnsafeMutableBufferPointer { state in
                        outputs.withUnsafeMutableBufferPointer { outputs in
                            let pass = Pass(value: vk_rnn_pass(
                                cell: shape.cell.kernelCell, batch: shape.batch, steps: shape.steps, heads: shape.heads,
                                head_dim: shape.headDim, batch_tile: plan.batchTile, wx: wx.baseAddress!, r: r.baseAddress!,
                                bias: bias.baseAddress!, state: state.baseAddress!, outputs: outputs.baseAddress!))
                            DispatchQueue.concurrentPerform(iterations: plan.workers) { worker in
                                let first = worker * plan.itemsPerWorker
                                let last = min(first + plan.itemsPerWorker, plan.workItems)
                                guard first < last else { return }
                                var value = pass.value
                                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: vk_rnn_scratch_floats(&value))
                                defer { scratch.deallocate() }
                                vk_rnn_fused_f32(&value, first, last, scratch)
                            }
                        }
                    }
                }
            }
        }
        return RNNOutput(outputs: outputs, finalStates: state)
    }

    /// R in the kernels' packed panel layout (`vk_rnn_pack_f32`), made once per pass.
    static func packedRecurrent(_ problem: RNNProblem) -> [Float] {
        let shape = problem.shape
        return [Float](unsafeUninitializedCapacity: problem.recurrent.count) { buffer, count in
            problem.recurrent.withUnsafeBufferPointer { r in
                vk_rnn_pack_f32(shape.heads, shape.headDim, shape.cell.recurrentGates * shape.headDim, r.baseAddress!, buffer.baseAddress!)
            }
            count = problem.recurrent.count
        }
    }

    /// The pass description shared by the workers: each writes only its own items' states and
    /// outputs (disjoint), and all reads are of inputs no worker writes.
    struct Pass: @unchecked Sendable { let value: vk_rnn_pass }
}

extension RNNCell {
    /// The C kernels' name for the cell (same order and equations).
    var kernelCell: vk_rnn_cell {
        switch self {
        case .lstm: VK_RNN_LSTM
        case .gru: VK_RNN_GRU
        case .elman: VK_RNN_ELMAN
        case .slstm: VK_RNN_SLSTM
        }
    }
}
