internal import VectorKernels

/// A branch-free double-precision e^x, vectorised per ISA in C, for the bulk exponentials that
/// dominate two experiments: the n² plan entries of Sinkhorn-Newton-Sparse (`TransportPlan`) and
/// the n × q kernel terms of the high-dimensional KDE (`KernelSums`).
///
/// The method is the classical one of Tang (1989, "Table-driven implementation of the exponential
/// function in IEEE floating-point arithmetic", ACM TOMS 15(2)) without the table, as in fdlibm's
/// `e_exp.c`:
/// 1. range reduction x = k·ln2 + r, |r| ≤ ln2/2 (slightly more when x·log₂e rounds), with
///    k = round(x·log₂e) read from the low bits of x·log₂e + 1.5·2⁵² (no float→int conversion,
///    which SSE2 lacks for 64-bit lanes), and r = (x − k·ln2_hi) − k·ln2_lo with fdlibm's
///    two-constant split of ln2 (ln2_hi has 32 significant bits, so k·ln2_hi is exact for
///    |k| < 2²¹ and the first subtraction is exact);
/// 2. e^r by its degree-13 Taylor polynomial, evaluated as 1 + (r + r²·q(r)) with q by Estrin's
///    scheme (a short dependency chain, so independent lanes overlap in the pipeline); the
///    truncation error |r|¹⁴/14! < 5·10⁻¹⁸ is below 0.05 ulp on |r| ≤ 0.35;
/// 3. 2^k built from exponent bits, as 2^k₁·2^k₂ with k₁ = ⌊k/2⌋, so that k = 1024 (x up to
///    710) still rounds once, correctly, to the largest doubles or +∞ (x > 709.78).
///
/// Underflow: results that would be subnormal (x < ln 2⁻¹⁰²² ≈ −708.396) are flushed to +0, as
/// is everything below, down to −∞. Subnormal products cost a microcode assist each on x86 (the
/// scalar glibc `exp` pays 15–20 ns there, measured), and at η = 1000 most plan entries lie
/// there; a flushed entry is below 2.3·10⁻³⁰⁸, so no sum, marginal or potential of a
/// `TransportPlan` moves by more than that (absolutely). Above 710 the result is +∞; NaN
/// propagates. Measured against glibc's `exp` over [−745, 50] the error is within 2 ulp wherever
/// the result is normal (`VectorExpTests`).
///
/// Reproducibility: every operation is a single IEEE-754 add, multiply or bit operation (Swift
/// does not contract a·b + c into FMA), so the scalar form and the vectorised loop give the same
/// bits for the same input on any machine; results never depend on thread count or alignment.
///
/// Callers hand whole buffers to `apply`, which runs the C port of this algorithm in VectorKernels
/// (`vk_exp_f64`, Float64Lanes.h): the same operations in the same order on 8-lane vectors,
/// compiled for baseline x86-64, AVX2 and AVX-512 and chosen at run time (`VectorISA`). No path
/// uses FMA, so every path returns the bits of the scalar `exp` below, which stays the reference
/// (`VectorExpTests` compares them on every path this CPU runs).
public enum VectorExp {
    /// ln(2⁻¹⁰²²), rounded up: below it e^x is subnormal or zero, and the result is flushed to +0.
    public static let flushBelow = -0x1.6232bdd7abcd2p9  // −708.3964185322641

    /// e^x for one value; the same arithmetic as the loop in `apply`, so the same bits.
    @inline(__always)
    public static func exp(_ argument: Double) -> Double {
        // Arguments below ln(2⁻¹⁰²²) are evaluated at ln(2⁻¹⁰²²) and the result replaced by +0
        // at the end, so no lane ever computes a subnormal product (each costs a microcode
        // assist, 10–20 ns, on x86). Comparisons are false for NaN, which passes through.
        var x = argument < -0x1.6232bdd7abcd2p9 ? -0x1.6232bdd7abcd2p9 : argument
        x = x > 710.0 ? 710.0 : x
        let shifter = 0x1.8p52
        // kd = 1.5·2⁵² + round(x·log₂e): the integer k sits in the low mantissa bits.
        let kd = x * 0x1.71547652b82fep0 + shifter
        let k = Int64(bitPattern: kd.bitPattern &- shifter.bitPattern)
        let kf = kd - shifter
        // fdlibm's ln2HI (0x3fe62e42fee00000) and ln2LO (0x3dea39ef35793c76).
        let r = (x - kf * 0x1.62e42feep-1) - kf * 0x1.a39ef35793c76p-33
        // q(r) = Σ_{j=2}^{13} r^{j−2}/j! by Estrin's scheme (pairs, then r², r⁴, r⁸), which
        // shortens the dependency chain from 11 to 4 multiply-adds; each 1/j! is a quotient of
        // exact integers, hence correctly rounded.
        let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
        let p23 = 0.5 + r * (1.0 / 6.0)
        let p45 = 1.0 / 24.0 + r * (1.0 / 120.0)
        let p67 = 1.0 / 720.0 + r * (1.0 / 5_040.0)
        let p89 = 1.0 / 40_320.0 + r * (1.0 / 362_880.0)
        let p1011 = 1.0 / 3_628_800.0 + r * (1.0 / 39_916_800.0)
        let p1213 = 1.0 / 479_001_600.0 + r * (1.0 / 6_227_020_800.0)
        let q = (p23 + r2 * p45) + r4 * (p67 + r2 * p89) + r8 * (p1011 + r2 * p1213)
        let expR = 1.0 + (r + r2 * q)
        // 2^k = 2^k₁ · 2^k₂, k₁ = ⌊k/2⌋, k₂ = k − k₁, from biased exponents. With the clamp,
        // k ∈ [−1022, 1024] so kb = k + 2048 > 0 and a logical shift halves it (SSE2 has no
        // 64-bit arithmetic shift); both biased exponents lie in [512, 1535].
        let kb = UInt64(bitPattern: k &+ 2048)
        let half = kb >> 1
        let scale1 = Double(bitPattern: (half &- 1) << 52)  // biased k₁ + 1023 = half − 1
        let scale2 = Double(bitPattern: (kb &- half &- 1) << 52)  // biased k₂ + 1023
        let value = (expR * scale1) * scale2
        return argument < -0x1.6232bdd7abcd2p9 ? 0 : value
    }

    /// Replaces each of the `count` values at `values` by its exponential, on the active ISA path.
    public static func apply(_ values: UnsafeMutablePointer<Double>, count: Int) {
        vk_exp_f64(values, count)
    }
}
