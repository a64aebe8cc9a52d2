/// Eight-lane Float32 transcendentals in portable Swift SIMD for the vanilla pass's eager
/// σ and tanh (`EagerOps`); the fused and alternating passes use the C kernels' gates
/// (`vk_rnn_pointwise_f32`), the CPU counterpart of the GPU's fast exp units that FlashRNN's fused
/// kernels use (Sec. 4). Accuracy: exp within a few ulp on
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

/// Unaligned eight-lane loads and stores for the vanilla pass's eager operations (`EagerOps`).
enum VectorPointwise {
    typealias V = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }
}
