/// The pointwise half of one step (FlashRNN's `forward_pointwise`): given one element's gate
/// preactivation parts and states, writes its new states. The equations are those of `RNNCell`.
///
/// Each operand is a pointer to gate 0 (or state 0) of the element and the distance to the next
/// gate (state), so the same code serves every layout: the fused kernel's accumulator tile, the
/// alternating pass's [batch][head][gate][dim] buffer and the reference's arrays.
enum CellPointwise {
    @inline(__always)
    static func update<S: CellScalar>(
        _ cell: RNNCell,
        wx: UnsafePointer<S>, wxStride: Int,
        ry: UnsafePointer<S>, ryStride: Int,
        bias: UnsafePointer<S>, biasStride: Int,
        state: UnsafeMutablePointer<S>, stateStride: Int
    ) {
        switch cell {
        case .lstm:
            let i = S.sigmoid(wx[0] + ry[0] + bias[0])
            let f = S.sigmoid(wx[wxStride] + ry[ryStride] + bias[biasStride])
            let z = S.hyperbolicTangent(wx[2 * wxStride] + ry[2 * ryStride] + bias[2 * biasStride])
            let o = S.sigmoid(wx[3 * wxStride] + ry[3 * ryStride] + bias[3 * biasStride])
            let c = f * state[stateStride] + i * z
            state[stateStride] = c
            state[0] = o * S.hyperbolicTangent(c)
        case .gru:
            let g = ry[0] + bias[0]
            let r = S.sigmoid(wx[0] + ry[ryStride] + bias[biasStride])
            let z = S.sigmoid(wx[wxStride] + ry[2 * ryStride] + bias[2 * biasStride])
            let n = wx[2 * wxStride] + bias[3 * biasStride]
            state[0] = z * state[0] + (1 - z) * S.hyperbolicTangent(n + r * g)
        case .elman:
            state[0] = S.hyperbolicTangent(wx[0] + ry[0] + bias[0])
        case .slstm:
            let iRaw = wx[0] + ry[0] + bias[0]
            let fRaw = wx[wxStride] + ry[ryStride] + bias[biasStride]
            let zRaw = wx[2 * wxStride] + ry[2 * ryStride] + bias[2 * biasStride]
            let oRaw = wx[3 * wxStride] + ry[3 * ryStride] + bias[3 * biasStride]
            let c = state[stateStride], n = state[2 * stateStride], m = state[3 * stateStride]
            let logFPlusM = S.logSigmoid(fRaw) + m
            let mNew = n == 0 ? iRaw : max(iRaw, logFPlusM)
            let i = S.exponential(iRaw - mNew)
            // While n = 0 (before the first step) c and n are 0, so the forget term f·c, f·n is 0;
            // taking f = 0 there avoids 0·∞ when exp(logσ(f̃) − ĩ) overflows (ĩ ≪ 0).
            let f = n == 0 ? 0 : S.exponential(logFPlusM - mNew)
            let cNew = f * c + i * S.hyperbolicTangent(zRaw)
            let nNew = max(f * n + i, 1)
            state[0] = S.sigmoid(oRaw) * cNew / nNew
            state[stateStride] = cNew
            state[2 * stateStride] = nNew
            state[3 * stateStride] = mNew
        }
    }
}
