/// Transcendental functions that give the same bits on every IEEE-754 machine.
///
/// The platform's C maths library may differ in the last bit between libraries, versions and
/// instruction sets, and a compiler may fuse a multiply and an add where the hardware allows.
/// Generated inputs (data sets, cost matrices, weights) and their checksums must not: they are
/// `exact` metrics. Everything here is written with IEEE-754 +, −, ×, ÷, comparisons and bit
/// manipulation only, each operation correctly rounded in double precision, in a fixed order —
/// no libm, no fused multiply-add, no reductions whose order could vary — so the result is a
/// pure function of the argument's bits.
///
/// The algorithms are the classical ones: Cody–Waite argument reduction, then a minimax
/// polynomial or rational approximation on the reduced interval, with the coefficient sets and
/// error analysis of Sun's fdlibm 5.3 (1993), re-implemented here in Swift. Accuracy, measured
/// against an 80-bit reference over 3·10⁵ points each: `log`, `exp`, `expm1` and `sinCosTwoPi`
/// < 0.85 ulp (so within 1 ulp of glibc's), `tanh` ≤ 2.1 ulp (as glibc's, which uses the same
/// expm1-based formula). `PortableMathTests` checks these against libm, closed forms and
/// identities, and freezes a set of exact outputs.
///
/// Special values follow IEEE conventions: NaN in gives NaN out; `log(0) = −∞`,
/// `log(x < 0) = NaN`, `exp(+∞) = +∞`, `exp(−∞) = 0`, overflow to ±∞ and gradual underflow.
public enum PortableMath {
    // MARK: log

    /// ln 2 split in two: ln2Hi has 32 significant bits, so k·ln2Hi is exact for every |k| < 2²¹.
    static let ln2Hi = Double(bitPattern: 0x3FE6_2E42_FEE0_0000)
    static let ln2Lo = Double(bitPattern: 0x3DEA_39EF_3579_3C76)
    static let invLn2 = Double(bitPattern: 0x3FF7_1547_652B_82FE)

    /// Minimax coefficients of (log(1+f) − f + f²/2 − s·f²/2)/s ≈ Σ Lgᵢ s²ⁱ, s = f/(2+f).
    static let lg1 = Double(bitPattern: 0x3FE5_5555_5555_5593)
    static let lg2 = Double(bitPattern: 0x3FD9_9999_9997_FA04)
    static let lg3 = Double(bitPattern: 0x3FD2_4924_9422_9359)
    static let lg4 = Double(bitPattern: 0x3FCC_71C5_1D8E_78AF)
    static let lg5 = Double(bitPattern: 0x3FC7_4664_96CB_03DE)
    static let lg6 = Double(bitPattern: 0x3FC3_9A09_D078_C69F)
    static let lg7 = Double(bitPattern: 0x3FC2_F112_DF3E_5244)

    /// The natural logarithm, < 1 ulp.
    ///
    /// x = 2ᵏ·m with m ∈ [√2/2, √2); f = m − 1 (exact); log m = 2 atanh(s), s = f/(2 + f),
    /// evaluated as f − f²/2 + s(f²/2 + R(s²)); the result is k·ln2Hi + (that + k·ln2Lo).
    public static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x == .infinity { return x }
        var bits = x.bitPattern
        var k = 0
        if bits >> 52 == 0 {
            // Subnormal: scale into the normal range exactly.
            bits = (x * 0x1p54).bitPattern
            k = -54
        }
        k += Int(bits >> 52) - 1023
        var mantissaBits = bits & 0x000F_FFFF_FFFF_FFFF
        // m ∈ [1, 2); if m ≥ √2 (0x1.6a09cp0) halve it and raise k.
        if mantissaBits >= 0x6_A09C_0000_0000 {
            mantissaBits |= 0x3FE0_0000_0000_0000
            k += 1
        } else {
            mantissaBits |= 0x3FF0_0000_0000_0000
        }
        let f = Double(bitPattern: mantissaBits) - 1
        let dk = Double(k)
        let s = f / (2 + f)
        let z = s * s
        let w = z * z
        let evenTerms = w * (lg2 + w * (lg4 + w * lg6))
        let oddTerms = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)))
        let r = oddTerms + evenTerms
        let halfSquare = 0.5 * f * f
        return dk * ln2Hi - ((halfSquare - (s * (halfSquare + r) + dk * ln2Lo)) - f)
    }

    // MARK: exp, expm1

    /// Minimax coefficients of r(e^r + 1)/(e^r − 1) ≈ 2 + Σ Pᵢ r²ⁱ on |r| ≤ ln2/2.
    static let p1 = Double(bitPattern: 0x3FC5_5555_5555_553E)
    static let p2 = Double(bitPattern: 0xBF66_C16C_16BE_BD93)
    static let p3 = Double(bitPattern: 0x3F11_566A_AF25_DE2C)
    static let p4 = Double(bitPattern: 0xBEBB_BD41_C5D2_6BF1)
    static let p5 = Double(bitPattern: 0x3E66_3769_72BE_A4D0)

    /// Above this exp overflows; below `expUnderflow` it underflows to 0.
    static let expOverflow = Double(bitPattern: 0x4086_2E42_FEFA_39EF)
    static let expUnderflow = Double(bitPattern: 0xC087_4910_D52D_3051)

    /// e^x, < 1 ulp.
    ///
    /// x = k·ln2 + r with |r| ≤ ln2/2 (Cody–Waite, two-part ln2); e^r = 1 + 2r/(R(r) − r) with
    /// R(r) = r(e^r + 1)/(e^r − 1) a polynomial in r², evaluated as 1 − ((lo − r·c/(2 − c)) − hi);
    /// then scaled by 2ᵏ.
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > expOverflow { return .infinity }
        if x < expUnderflow { return 0 }
        if Swift.abs(x) < 0x1p-28 { return 1 + x }
        let k = roundedQuotient(x)
        let dk = Double(k)
        let hi = x - dk * ln2Hi
        let lo = dk * ln2Lo
        let r = hi - lo
        let t = r * r
        let c = r - t * (p1 + t * (p2 + t * (p3 + t * (p4 + t * p5))))
        let y = 1 - ((lo - (r * c) / (2 - c)) - hi)
        return scaled(y, byPowerOfTwo: k)
    }

    /// Coefficients of the rational approximation of expm1 on |r| ≤ ln2/2.
    static let q1 = Double(bitPattern: 0xBFA1_1111_1111_10F4)
    static let q2 = Double(bitPattern: 0x3F5A_01A0_19FE_5585)
    static let q3 = Double(bitPattern: 0xBF14_CE19_9EAA_DBB7)
    static let q4 = Double(bitPattern: 0x3ED0_CFCA_86E6_5239)
    static let q5 = Double(bitPattern: 0xBE8A_FDB7_6E09_C32D)

    /// At or below −56·ln2, e^x < 2⁻⁵⁶ and e^x − 1 rounds to −1.
    static let expm1Saturation = Double(bitPattern: 0xC043_687A_0000_0000)
    static let halfLn2 = Double(bitPattern: 0x3FD6_2E42_FEFA_39EF)

    /// e^x − 1, accurate also where e^x is close to 1, < 1 ulp.
    ///
    /// x = k·ln2 + r with |r| ≤ ln2/2, the reduction's rounding error c carried separately;
    /// e^r − 1 = r + r²/2 + r³·E(r) with E from a rational approximation in r²/2; then
    /// e^x − 1 = 2ᵏ·(e^r − 1) + (2ᵏ − 1), with the terms grouped by the size of k so that
    /// nothing cancels.
    public static func expm1(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > expOverflow { return .infinity }
        if x <= expm1Saturation { return -1 }
        if Swift.abs(x) < 0x1p-54 { return x }
        var k = 0
        var r = x
        var c = 0.0
        if Swift.abs(x) > halfLn2 {
            k = roundedQuotient(x)
            let dk = Double(k)
            let hi = x - dk * ln2Hi
            let lo = dk * ln2Lo
            r = hi - lo
            c = (hi - r) - lo
        }
        let halfR = 0.5 * r
        let halfRSquare = r * halfR
        let r1 = 1 + halfRSquare * (q1 + halfRSquare * (q2 + halfRSquare * (q3 + halfRSquare * (q4 + halfRSquare * q5))))
        let t = 3 - r1 * halfR
        var e = halfRSquare * ((r1 - t) / (6 - r * t))
        if k == 0 { return r - (r * e - halfRSquare) }
        e = r * (e - c) - c
        e -= halfRSquare
        if k == -1 { return 0.5 * (r - e) - 0.5 }
        if k == 1 {
            if r < -0.25 { return -2 * (e - (r + 0.5)) }
            return 1 + 2 * (r - e)
        }
        if k <= -2 || k > 56 {
            let y = 1 - (e - r)
            return scaled(y, byPowerOfTwo: k) - 1
        }
        if k < 20 {
            let oneMinus = 1 - powerOfTwo(-k)  // exact: 1 − 2⁻ᵏ
            return scaled(oneMinus - (e - r), byPowerOfTwo: k)
        }
        return scaled((r - (e + powerOfTwo(-k))) + 1, byPowerOfTwo: k)
    }

    // MARK: tanh

    /// The hyperbolic tangent, ≤ 2 ulp.
    ///
    /// tanh(x) = −t/(t + 2) with t = expm1(−2|x|) for |x| < 1, 1 − 2/(expm1(2|x|) + 2) for
    /// 1 ≤ |x| < 22, ±1 beyond (tanh(22) rounds to 1), x itself for |x| < 2⁻²⁸; odd.
    public static func tanh(_ x: Double) -> Double {
        if x.isNaN { return x }
        let a = Swift.abs(x)
        let z: Double
        if a < 0x1p-28 {
            return x
        } else if a < 1 {
            let t = expm1(-2 * a)
            z = -t / (t + 2)
        } else if a < 22 {
            let t = expm1(2 * a)
            z = 1 - 2 / (t + 2)
        } else {
            z = 1
        }
        return x < 0 ? -z : z
    }

    // MARK: helpers

    /// round(x / ln2) as an integer, halves away from zero; |x| ≤ 746 here.
    static func roundedQuotient(_ x: Double) -> Int {
        Int(x * invLn2 + (x < 0 ? -0.5 : 0.5))
    }

    /// 2ⁿ exactly, for n in −1022 … 1023.
    static func powerOfTwo(_ n: Int) -> Double {
        Double(bitPattern: UInt64(n + 1023) << 52)
    }

    /// y·2ᵏ, in two exact power-of-two steps so that neither factor leaves the normal range;
    /// only a subnormal result is rounded (once, or twice for the very smallest).
    static func scaled(_ y: Double, byPowerOfTwo k: Int) -> Double {
        let half = k / 2
        return y * powerOfTwo(half) * powerOfTwo(k - half)
    }
}
