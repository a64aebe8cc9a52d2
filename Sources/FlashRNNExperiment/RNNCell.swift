import HarnessCore

/// The four cells of FlashRNN (Pöppel, Beck & Hochreiter 2024, Sec. 2 and the reference code's
/// `vanilla/{lstm,gru,elman,slstm}.py`). Every cell is head-wise: the hidden state of size N·D is
/// split into N heads of D dims and the recurrent matrix is block-diagonal, G_R gates × N × D × D.
///
/// Gate preactivations are Wx (pre-computed for every step) + R·h_{t−1} + b. Gate order and the
/// number of gates in Wx, R and b follow FlashRNN:
/// - LSTM, gates (i, f, z, o) in Wx, R and b; states (h, c):
///   c_t = σ(f̃)c_{t−1} + σ(ĩ)tanh(z̃), h_t = σ(õ)tanh(c_t).
/// - GRU, Wx gates (r, z, n), R gates (g, r, z), b gates (g, r, z, n); state h:
///   r = σ(Wx_r + R_r h + b_r), z = σ(Wx_z + R_z h + b_z),
///   h_t = z·h_{t−1} + (1 − z)·tanh(Wx_n + b_n + r·(R_g h + b_g)).
/// - Elman, one gate; state h: h_t = tanh(Wx + R·h_{t−1} + b).
/// - sLSTM (xLSTM's scalar LSTM, FlashRNN Sec. 2), gates (i, f, z, o); states (h, c, n, m):
///   m_t = max(ĩ, logσ(f̃) + m_{t−1}) (m_t = ĩ while n_{t−1} = 0), i = exp(ĩ − m_t),
///   f = exp(logσ(f̃) + m_{t−1} − m_t), c_t = f c_{t−1} + i tanh(z̃), n_t = max(f n_{t−1} + i, 1),
///   h_t = σ(õ)·c_t / n_t: exponential input gating with normalizer n and stabilizer m.
///   While n_{t−1} = 0 the forget term is taken as 0 (c and n are 0 there; this avoids 0·∞ in
///   Float32 when exp(logσ(f̃) − ĩ) overflows, and changes nothing where FlashRNN's form is finite).
public enum RNNCell: String, ManifestEnum, Sendable, Encodable {
    case lstm, gru, elman, slstm

    /// Gates in the pre-computed inputs Wx.
    public var inputGates: Int {
        switch self {
        case .lstm, .slstm: 4
        case .gru: 3
        case .elman: 1
        }
    }

    /// Gates in the recurrent matrix R.
    public var recurrentGates: Int {
        switch self {
        case .lstm, .slstm: 4
        case .gru: 3
        case .elman: 1
        }
    }

    /// Gates in the bias b.
    public var biasGates: Int {
        switch self {
        case .lstm, .slstm, .gru: 4
        case .elman: 1
        }
    }

    /// States carried between steps; state 0 is always the hidden state h.
    public var stateCount: Int {
        switch self {
        case .lstm: 2
        case .gru, .elman: 1
        case .slstm: 4
        }
    }

    public var displayName: String {
        switch self {
        case .lstm: "LSTM"
        case .gru: "GRU"
        case .elman: "Elman"
        case .slstm: "sLSTM"
        }
    }
}
