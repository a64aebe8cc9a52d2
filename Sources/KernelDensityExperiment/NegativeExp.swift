/// e^x for x ≤ 0 in branch-free arithmetic the compiler vectorises: the exponentials of the
/// n × q × (bandwidths) kernel terms exp(−t(D − D_min)) are the estimator's dominant cost.
///
/// Cody–Waite range reduction x = k·ln2 + r with |r| ≤ ½ln2 (k = round(x·log₂e), read from the
/// low mantissa bits of x·log₂e + 1.5·2⁵²), ln2 split in a 32-bit head (so k·ln2_hi is exact)
/// and a tail; e^r by its degree-13 Taylor polynomial (Estrin's scheme; truncation below 10⁻¹⁶·e^r on
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
        // q(r) = Σ_{j=2}^{13} r^{j−2}/j! by Estrin's scheme (pairs, then r², r⁴, r⁸): a dependency
        // chain of 4 multiply-adds instead of Horner's 11, so neighbouring lanes overlap.
        let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
        let a0 = 1.0 / 2.0 + r * (1.0 / 6.0)
        let a1 = 1.0 / 24.0 + r * (1.0 / 120.0)
        let a2 = 1.0 / 720.0 + r * (1.0 / 5_040.0)
        let a3 = 1.0 / 40_320.0 + r * (1.0 / 362_880.0)
        let a4 = 1.0 / 3_628_800.0 + r * (1.0 / 39_916_800.0)
        let a5 = 1.0 / 479_001_600.0 + r * (1.0 / 6_227_020_800.0)
        let p = ((a0 + r2 * a1) + r4 * (a2 + r2 * a3)) + r8 * (a4 + r2 * a5)
        let expR = 1.0 + (r + r2 * p)
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
