/// Eight-lane Float32 transcendentals for the cells' gates, the CPU counterpart of the GPU's fast
/// exp units that FlashRNN's fused kernels use (Sec. 4). Accuracy: exp within a few ulp on
/// [−87.3, 88.4] (inputs are clamped there, so e^x underflows to about 1e-38 instead of 0 and
/// never overflows); σ and tanh = 2σ(2x) − 1 within about 1e-7 absolute.
enum VectorMath {
    typealias V = SIMD8<Float>

    /// e^x: x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 Taylor polynomial for e^r, times 2^n.
    /// n is rounded by adding 1.5·2²³ (so its integer sits in the low mantissa bits) rather than
    /// by SIMD float→int conversions, which the standard library runs lane by lane.
    @inline(__always)
    static func exp(_ x: V) -> V {
        var clamped = x.replacing(with: V(repeating: -87.33), where: x .< -87.33)
        clamped = clamped.replacing(with: V(repeating: 88.37), where: clamped .> 88.37)
        let magic = V(repeating: 12_582_912)
        let shifted = clamped * 1.442695040888963 + magic
        let n = shifted - magic
        let r = clamped - n * 0.693145751953125 - n * 1.428606765330187e-06
        var p = V(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        return p * unsafeBitCast((integer &+ 127) &<< 23, to: V.self)
    }

    @inline(__always)
    static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }

    @inline(__always)
    static func tanh(_ x: V) -> V { 2 * sigmoid(2 * x) - 1 }
}

/// The pointwise step on eight adjacent elements (the same head and batch row, columns j…j+7),
/// for the cells whose gates need only exp: LSTM, GRU and Elman (`RNNCell` equations). sLSTM's
/// log σ runs through the scalar `CellPointwise`, element by element.
enum VectorPointwise {
    typealias V = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    static func supports(_ cell: RNNCell) -> Bool { cell != .slstm }

    @inline(__always)
    static func update8(
        _ cell: RNNCell,
        wx: UnsafePointer<Float>, wxStride: Int, ry: UnsafePointer<Float>, ryStride: Int,
        bias: UnsafePointer<Float>, biasStride: Int, state: UnsafeMutablePointer<Float>, stateStride: Int
    ) {
        func pre(_ g: Int) -> V { load(wx + g * wxStride) + load(ry + g * ryStride) + load(bias + g * biasStride) }
        switch cell {
        case .lstm:
            let i = VectorMath.sigmoid(pre(0)), f = VectorMath.sigmoid(pre(1))
            let z = VectorMath.tanh(pre(2)), o = VectorMath.sigmoid(pre(3))
            let c = f * load(state + stateStride) + i * z
            store(c, state + stateStride)
            store(o * VectorMath.tanh(c), state)
        case .gru:
            let g = load(ry) + load(bias)
            let r = VectorMath.sigmoid(load(wx) + load(ry + ryStride) + load(bias + biasStride))
            let z = VectorMath.sigmoid(load(wx + wxStride) + load(ry + 2 * ryStride) + load(bias + 2 * biasStride))
            let n = load(wx + 2 * wxStride) + load(bias + 3 * biasStride)
            store(z * load(state) + (1 - z) * VectorMath.tanh(n + r * g), state)
        case .elman:
            store(VectorMath.tanh(pre(0)), state)
        case .slstm:
            for lane in 0..<8 {
                CellPointwise.update(cell, wx: wx + lane, wxStride: wxStride, ry: ry + lane, ryStride: ryStride,
                                     bias: bias + lane, biasStride: biasStride, state: state + lane, stateStride: stateStride)
            }
        }
    }

    /// One head's row of D elements: eight at a time (LSTM, GRU, Elman), then the scalar tail.
    @inline(__always)
    static func updateRow(
        _ cell: RNNCell, count: Int,
        wx: UnsafePointer<Float>, wxStride: Int, ry: UnsafePointer<Float>, ryStride: Int,
        bias: UnsafePointer<Float>, biasStride: Int, state: UnsafeMutablePointer<Float>, stateStride: Int
    ) {
        var j = 0
        if supports(cell) {
            while j + 8 <= count {
                update8(cell, wx: wx + j, wxStride: wxStride, ry: ry + j, ryStride: ryStride,
                        bias: bias + j, biasStride: biasStride, state: state + j, stateStride: stateStride)
                j += 8
            }
        }
        while j < count {
            CellPointwise.update(cell, wx: wx + j, wxStride: wxStride, ry: ry + j, ryStride: ryStride,
                                 bias: bias + j, biasStride: biasStride, state: state + j, stateStride: stateStride)
            j += 1
        }
    }
}
