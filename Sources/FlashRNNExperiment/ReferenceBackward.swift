import Foundation

/// Back-propagation through time for the LSTM and Elman cells, in Float64: the reference a fused
/// backward pass would be checked against (the stretch goal; FlashRNN fuses the backward
/// pass the same way as the forward one). Only the reference exists here; there is no Float32
/// vanilla/alternating/fused backward yet.
///
/// For the loss L = Σ_t Σ weights_t ⊙ h_t it returns ∂L/∂Wx, ∂L/∂R and ∂L/∂b in the layouts of
/// `RNNShape`. LSTM (`RNNCell`): with s = 1 − tanh²(c_t), the step's error ĉ = ∂L/∂c_t + ∂L/∂h_t·o·s
/// flows to the gates (∂ĩ = ĉ·z·i(1−i), ∂f̃ = ĉ·c_{t−1}·f(1−f), ∂z̃ = ĉ·i·(1−z²),
/// ∂õ = ∂L/∂h_t·tanh(c_t)·o(1−o)) and back to c_{t−1} as ĉ·f; Elman: ∂pre = ∂L/∂h_t·(1 − h_t²).
/// Each head's R then collects Σ_t h_{t−1}ᵀ·∂pre_t and passes R·∂pre_t back to h_{t−1}.
public enum ReferenceBackward {
    public struct Gradients: Sendable {
        public var inputs: [Double]
        public var recurrent: [Double]
        public var bias: [Double]
    }

    public static func supports(_ cell: RNNCell) -> Bool { cell == .lstm || cell == .elman }

    /// Forward pass on Float64 weights, keeping what the backward pass needs: every step's
    /// post-activation gates [T][B][G][N·D] and states (h, c) [T+1][B][N·D] (index 0: zeros).
    struct Tape {
        var gates: [Double]
        var hidden: [Double]
        var cell: [Double]
    }

    static func forward(_ shape: RNNShape, inputs wx: [Double], recurrent r: [Double], bias: [Double]) -> Tape {
        let (b, n, d, g) = (shape.batch, shape.heads, shape.headDim, shape.cell.recurrentGates)
        let hidden = shape.hidden, row = b * hidden
        var tape = Tape(gates: [Double](repeating: 0, count: shape.steps * b * g * hidden),
                        hidden: [Double](repeating: 0, count: (shape.steps + 1) * row),
                        cell: [Double](repeating: 0, count: (shape.steps + 1) * row))
        for t in 0..<shape.steps {
            for batch in 0..<b {
                for head in 0..<n {
                    for j in 0..<d {
                        let e = head * d + j
                        var pre = [Double](repeating: 0, count: g)
                        for gate in 0..<g {
                            var sum = wx[((t * b + batch) * g + gate) * hidden + e] + bias[gate * hidden + e]
                            for k in 0..<d {
                                sum += r[((head * d + k) * g + gate) * d + j] * tape.hidden[t * row + batch * hidden + head * d + k]
                            }
                            pre[gate] = sum
                        }
                        let out = (t + 1) * row + batch * hidden + e
                        let gateBase = ((t * b + batch) * g) * hidden + e
                        switch shape.cell {
                        case .lstm:
                            let i = Double.sigmoid(pre[0]), f = Double.sigmoid(pre[1]), z = tanh(pre[2]), o = Double.sigmoid(pre[3])
                            for (gate, value) in [i, f, z, o].enumerated() { tape.gates[gateBase + gate * hidden] = value }
                            tape.cell[out] = f * tape.cell[t * row + batch * hidden + e] + i * z
                            tape.hidden[out] = o * tanh(tape.cell[out])
                        default:
                            tape.hidden[out] = tanh(pre[0])
                            tape.gates[gateBase] = tape.hidden[out]
                        }
                    }
                }
            }
        }
        return tape
    }

    /// L = Σ weights ⊙ h over every step ([T][B][N·D]).
    static func loss(_ shape: RNNShape, _ tape: Tape, weights: [Double]) -> Double {
        let row = shape.batch * shape.hidden
        return (0..<(shape.steps * row)).reduce(0) { $0 + weights[$1] * tape.hidden[row + $1] }
    }

    public static func gradients(_ shape: RNNShape, inputs wx: [Double], recurrent r: [Double], bias: [Double], weights: [Double]) -> Gradients {
        precondition(supports(shape.cell), "ReferenceBackward: only LSTM and Elman have a backward pass")
        let (b, n, d, g) = (shape.batch, shape.heads, shape.headDim, shape.cell.recurrentGates)
        let hidden = shape.hidden, row = b * hidden
        let tape = forward(shape, inputs: wx, recurrent: r, bias: bias)
        var grads = Gradients(inputs: [Double](repeating: 0, count: wx.count), recurrent: [Double](repeating: 0, count: r.count),
                              bias: [Double](repeating: 0, count: bias.count))
        var dh = [Double](repeating: 0, count: row), dc = [Double](repeating: 0, count: row)
        for t in stride(from: shape.steps - 1, through: 0, by: -1) {
            for e in 0..<row { dh[e] += weights[t * row + e] }
            // ∂L/∂pre for every gate of this step: [B][G][N·D], the layout of one step of Wx.
            var dPre = [Double](repeating: 0, count: b * g * hidden)
            for batch in 0..<b {
                for e in 0..<hidden {
                    let s = batch * hidden + e, gateBase = ((t * b + batch) * g) * hidden + e, pBase = batch * g * hidden + e
                    let h = tape.hidden[(t + 1) * row + s]
                    switch shape.cell {
                    case .lstm:
                        let i = tape.gates[gateBase], f = tape.gates[gateBase + hidden]
                        let z = tape.gates[gateBase + 2 * hidden], o = tape.gates[gateBase + 3 * hidden]
                        let tc = tanh(tape.cell[(t + 1) * row + s])
                        let dcTotal = dc[s] + dh[s] * o * (1 - tc * tc)
                        dPre[pBase] = dcTotal * z * i * (1 - i)
                        dPre[pBase + hidden] = dcTotal * tape.cell[t * row + s] * f * (1 - f)
                        dPre[pBase + 2 * hidden] = dcTotal * i * (1 - z * z)
                        dPre[pBase + 3 * hidden] = dh[s] * tc * o * (1 - o)
                        dc[s] = dcTotal * f
                    default:
                        dPre[pBase] = dh[s] * (1 - h * h)
                    }
                }
            }
            // Wx and b, then R and the error reaching h_{t−1}.
            for i in 0..<dPre.count { grads.inputs[t * b * g * hidden + i] = dPre[i] }
            var dhPrevious = [Double](repeating: 0, count: row)
            for batch in 0..<b {
                for gate in 0..<g {
                    for e in 0..<hidden { grads.bias[gate * hidden + e] += dPre[(batch * g + gate) * hidden + e] }
                }
                for head in 0..<n {
                    for k in 0..<d {
                        let hPrevious = tape.hidden[t * row + batch * hidden + head * d + k]
                        var back = 0.0
                        for gate in 0..<g {
                            for j in 0..<d {
                                let delta = dPre[(batch * g + gate) * hidden + head * d + j]
                                let index = ((head * d + k) * g + gate) * d + j
                                grads.recurrent[index] += hPrevious * delta
                                back += r[index] * delta
                            }
                        }
                        dhPrevious[batch * hidden + head * d + k] = back
                    }
                }
            }
            dh = dhPrevious
        }
        return grads
    }
}
