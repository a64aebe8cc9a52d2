/// e^x for x ≤ 0 in branch-free arithmetic the compiler vectorises: the exponentials of the
/// n × q × (bandwidths) kernel terms exp(−t(D − D_min)) are the estimator's dominant cost.
///
/// Cody–Waite range reduction x = k·ln2 + r with |r| ≤ ½ln2 (k = round(x·log₂e), read from the
/// low mantissa bits of x·log₂e + 1.5·2⁵²), ln2 split in a 32-bit head (so k·ln2_hi is exact)
/// and a tail; e^r by its degree-13 Taylor polynomial (Horner; truncation below 10⁻¹⁶·e^r on
/// |r| ≤ 0.35); 2^k from the exponent bits. Arguments below ln 2⁻¹⁰²² give +0 (no subnormal
/// products, which are slow on x86; a dropped term is below 2.3·10⁻³⁰⁸ of the largest, which is 1).
/// Only additions, multiplications and bit operations, never fused, so the scalar and the
/// vectorised loop give the same bits on any machine.
enum NegativeExp {
    static let flushBelow = -708.3964185322641

    @inline(__always)
    static func exp(_ argument: Double) -> Double {
        let x = argument < flushBelow ? flushBelow : (argument > 0 ? 0 : argument)
        let shifter = 0x1.8p52
        let kd = x * 0x1.71547652b82fep0 + shifter
        let k = Int64(bitPattern: kd.bitPattern &- shifter.bitPattern)
        let kf = kd - shifter
        let r = (x - kf * 0x1.62e42feep-1) - kf * 0x1.a39ef35793c76p-33
        var p = 1.0 / 6_227_020_800.0
        p = p * r + 1.0 / 479_001_600.0
        p = p * r + 1.0 / 39_916_800.0
        p = p * r + 1.0 / 3_628_800.0
        p = p * r + 1.0 / 362_880.0
        p = p * r + 1.0 / 40_320.0
        p = p * r + 1.0 / 5_040.0
        p = p * r + 1.0 / 720.0
        p = p * r + 1.0 / 120.0
        p = p * r + 1.0 / 24.0
        p = p * r + 1.0 / 6.0
        p = p * r + 0.5
        let expR = 1.0 + (r + (r * r) * p)
        // k ∈ [−1022, 0]: the biased exponent k + 1023 is a normal one.
        let scale = Double(bitPattern: UInt64(bitPattern: k &+ 1023) << 52)
        let value = expR * scale
        return argument < flushBelow ? 0 : value
    }

    /// Replaces each of the `count` values at `values` by its exponential.
    @inline(__always)
    static func apply(_ values: UnsafeMutablePointer<Double>, count: Int) {
        for j in 0..<count { values[j] = exp(values[j]) }
    }
}
