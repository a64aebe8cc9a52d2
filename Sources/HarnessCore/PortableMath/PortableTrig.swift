extension PortableMath {
    /// (sin 2πu, cos 2πu) for a fraction of a turn u ∈ [0, 1), < 1 ulp from the true values.
    ///
    /// The angle's reduction is exact because it works on the turn fraction, not on a rounded
    /// radian angle: q = round(4u) is the quadrant and t = 4u − q ∈ [−½, ½] is exact (4u is
    /// exact and the subtraction is exact by Sterbenz's lemma). θ = t·π/2 ∈ [−π/4, π/4] is then
    /// formed as a double-double (Dekker's product without fused multiply-add, π/2 in two parts),
    /// the sine and cosine kernels take θ with its tail, and the quadrant picks and signs them.
    /// Exact quarter turns give exact results: sinCosTwoPi(0.25) = (1, −0).
    ///
    /// Box–Muller (`RandomStream.boxMuller`) needs exactly this: the angle is 2π times a uniform.
    public static func sinCosTwoPi(_ u: Double) -> (sin: Double, cos: Double) {
        precondition(u >= 0 && u < 1, "sinCosTwoPi takes a turn fraction in [0, 1), got \(u)")
        let fourU = 4 * u
        let quadrant = Int(fourU + 0.5)
        let t = fourU - Double(quadrant)
        let (hi, lo) = quarterTurnProduct(t)
        let s = sinKernel(hi, lo)
        let c = cosKernel(hi, lo)
        switch quadrant & 3 {
        case 0: return (s, c)
        case 1: return (c, -s)
        case 2: return (-s, -c)
        default: return (-c, s)
        }
    }

    /// π/2 = halfPiHi + halfPiLo to about 2⁻¹⁰⁷.
    static let halfPiHi = Double(bitPattern: 0x3FF9_21FB_5444_2D18)
    static let halfPiLo = Double(bitPattern: 0x3C91_A626_3314_5C07)

    /// t·π/2 as hi + lo, |t| ≤ ½: Dekker's exact product of t and halfPiHi (Veltkamp splitting),
    /// plus t·halfPiLo, renormalised.
    static func quarterTurnProduct(_ t: Double) -> (hi: Double, lo: Double) {
        let (p, e) = exactProduct(t, halfPiHi)
        let tail = e + t * halfPiLo
        let hi = p + tail
        return (hi, tail - (hi - p))
    }

    /// a·b = p + e exactly (Dekker 1971), with plain multiplications and additions only.
    static func exactProduct(_ a: Double, _ b: Double) -> (product: Double, error: Double) {
        let p = a * b
        let (aHi, aLo) = split(a)
        let (bHi, bLo) = split(b)
        let e = ((aHi * bHi - p) + aHi * bLo + aLo * bHi) + aLo * bLo
        return (p, e)
    }

    /// Veltkamp's split of a into 26-bit halves, a = hi + lo exactly.
    static func split(_ a: Double) -> (hi: Double, lo: Double) {
        let c = 134_217_729.0 * a  // 2²⁷ + 1
        let hi = c - (c - a)
        return (hi, a - hi)
    }

    /// Minimax coefficients of (sin x − x)/x³ in x² on |x| ≤ π/4.
    static let s1 = Double(bitPattern: 0xBFC5_5555_5555_5549)
    static let s2 = Double(bitPattern: 0x3F81_1111_1110_F8A6)
    static let s3 = Double(bitPattern: 0xBF2A_01A0_19C1_61D5)
    static let s4 = Double(bitPattern: 0x3EC7_1DE3_57B1_FE7D)
    static let s5 = Double(bitPattern: 0xBE5A_E5E6_8A2B_9CEB)
    static let s6 = Double(bitPattern: 0x3DE5_D93A_5ACF_D57C)

    /// sin(x + y) for |x| ≤ π/4 and |y| ≤ ulp(x)/2: x + x³(s1 + x²·S(x²)) with the tail's first-order term.
    static func sinKernel(_ x: Double, _ y: Double) -> Double {
        let z = x * x
        let v = z * x
        let r = s2 + z * (s3 + z * (s4 + z * (s5 + z * s6)))
        return x - ((z * (0.5 * y - v * r) - y) - v * s1)
    }

    /// Minimax coefficients of (cos x − 1 + x²/2)/x⁴ in x² on |x| ≤ π/4.
    static let c1 = Double(bitPattern: 0x3FA5_5555_5555_554C)
    static let c2 = Double(bitPattern: 0xBF56_C16C_16C1_5177)
    static let c3 = Double(bitPattern: 0x3EFA_01A0_19CB_1590)
    static let c4 = Double(bitPattern: 0xBE92_7E4F_809C_52AD)
    static let c5 = Double(bitPattern: 0x3E21_EE9E_BDB4_B1C4)
    static let c6 = Double(bitPattern: 0xBDA8_FAE9_BE88_38D4)

    /// cos(x + y) for |x| ≤ π/4: 1 − x²/2 + x⁴·C(x²) − x·y. Above |x| = 0.3 the constant
    /// 1 − x²/2 is split as (1 − q) − (x²/2 − q), q ≈ |x|/4 with a short significand, so that
    /// its leading subtraction is exact.
    static func cosKernel(_ x: Double, _ y: Double) -> Double {
        let z = x * x
        let r = z * (c1 + z * (c2 + z * (c3 + z * (c4 + z * (c5 + z * c6)))))
        let a = Swift.abs(x)
        if a < 0.3 { return 1 - (0.5 * z - (z * r - x * y)) }
        // q = x/4 with its low 32 significand bits cleared, or 0.28125 beyond 0.78125.
        let q = a > 0.78125 ? 0.28125 : Double(bitPattern: (a.bitPattern - 0x0020_0000_0000_0000) & 0xFFFF_FFFF_0000_0000)
        let halfZMinusQ = 0.5 * z - q
        return (1 - q) - (halfZMinusQ - (z * r - x * y))
    }
}
