// Private to VectorKernels: the Float64 lane types and the exponential shared by the Float64
// kernels (VectorExpFloat64.c, KernelSumsFloat64.c, SinkhornFloat64.c).
//
// Every kernel body is written once on GCC/Clang generic vectors (`vector_size`) and inlined into
// one wrapper per ISA, each compiled with its own `target` attribute: the compiler lowers an
// 8-lane vector to four SSE2/NEON registers, two AVX2 registers or one AVX-512 register. Only
// element-wise IEEE-754 adds, multiplies, divides, compares and bit operations are used and the
// target is built with -ffp-contract=off, so no path fuses a multiply-add: every path gives the
// same bits, and the lane count fixes every summation order.
#ifndef CLAIMBENCH_FLOAT64_LANES_H
#define CLAIMBENCH_FLOAT64_LANES_H

#include <stddef.h>
#include <stdint.h>

typedef double vk_f64x8 __attribute__((vector_size(64)));
typedef int64_t vk_i64x8 __attribute__((vector_size(64)));
typedef uint64_t vk_u64x8 __attribute__((vector_size(64)));
typedef double vk_f64x4 __attribute__((vector_size(32)));

// Every function taking or returning a lane vector is always inlined into its per-ISA caller, so
// no vector crosses a call boundary and the ABI notes clang makes about them do not apply.
#pragma clang diagnostic ignored "-Wpsabi"
#define VK_INLINE static inline __attribute__((always_inline))

/// Per-ISA attributes of the three copies of each kernel.
#if defined(__x86_64__)
#define VK_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define VK_TARGET_AVX512 __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl")))
#define VK_HAS_X86_PATHS 1
#else
#define VK_HAS_X86_PATHS 0
#endif

VK_INLINE vk_f64x8 vk_splat8(double value) {
    vk_f64x8 zero = {0};
    return zero + value;
}

VK_INLINE vk_f64x8 vk_load8(const double *p) {
    vk_f64x8 value;
    __builtin_memcpy(&value, p, sizeof value);
    return value;
}

VK_INLINE void vk_store8(double *p, vk_f64x8 value) { __builtin_memcpy(p, &value, sizeof value); }

/// `mask ? a : b` lane by lane, for a compare result `mask` (all ones or all zeros per lane).
VK_INLINE vk_f64x8 vk_select8(vk_i64x8 mask, vk_f64x8 a, vk_f64x8 b) {
    return (vk_f64x8)(((vk_i64x8)a & mask) | ((vk_i64x8)b & ~mask));
}

/// ln(2⁻¹⁰²²) rounded up: below it e^x is flushed to +0 (LinearAlgebra's `VectorExp.flushBelow`).
#define VK_EXP_FLUSH_BELOW (-0x1.6232bdd7abcd2p9)

/// e^x on eight lanes: the algorithm of LinearAlgebra's `VectorExp.exp` (Tang 1989 without the
/// table, fdlibm's split of ln 2, a degree-13 Taylor polynomial by Estrin's scheme, 2^k as two
/// exponent-bit factors), operation for operation, so the bits equal the Swift scalar reference.
/// Arguments below the flush bound give +0, above 709.78 +∞, NaN stays NaN.
VK_INLINE vk_f64x8 vk_exp8(vk_f64x8 argument) {
    const vk_f64x8 flush = vk_splat8(VK_EXP_FLUSH_BELOW);
    const vk_f64x8 ceiling = vk_splat8(710.0);
    const vk_f64x8 shifter = vk_splat8(0x1.8p52);
    vk_i64x8 below = (vk_i64x8)(argument < flush);
    vk_f64x8 x = vk_select8(below, flush, argument);
    x = vk_select8((vk_i64x8)(x > ceiling), ceiling, x);
    // kd = 1.5·2⁵² + round(x·log₂e): the integer k sits in the low mantissa bits.
    vk_f64x8 kd = x * 0x1.71547652b82fep0 + shifter;
    vk_i64x8 k = (vk_i64x8)kd - (vk_i64x8)shifter;
    vk_f64x8 kf = kd - shifter;
    vk_f64x8 r = (x - kf * 0x1.62e42feep-1) - kf * 0x1.a39ef35793c76p-33;
    vk_f64x8 r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    vk_f64x8 p23 = 0.5 + r * (1.0 / 6.0);
    vk_f64x8 p45 = 1.0 / 24.0 + r * (1.0 / 120.0);
    vk_f64x8 p67 = 1.0 / 720.0 + r * (1.0 / 5040.0);
    vk_f64x8 p89 = 1.0 / 40320.0 + r * (1.0 / 362880.0);
    vk_f64x8 p1011 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
    vk_f64x8 p1213 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
    vk_f64x8 q = (p23 + r2 * p45) + r4 * (p67 + r2 * p89) + r8 * (p1011 + r2 * p1213);
    vk_f64x8 expR = 1.0 + (r + r2 * q);
    // 2^k = 2^k₁·2^k₂ with k₁ = ⌊k/2⌋; k + 2048 > 0, so a logical shift halves it.
    vk_u64x8 kb = (vk_u64x8)(k + 2048);
    vk_u64x8 half = kb >> 1;
    vk_f64x8 scale1 = (vk_f64x8)((half - 1) << 52);
    vk_f64x8 scale2 = (vk_f64x8)((kb - half - 1) << 52);
    vk_f64x8 value = (expR * scale1) * scale2;
    return vk_select8(below, vk_splat8(0.0), value);
}

/// e^x for the `count` < 8 values at `values`, in place, through a padded lane vector.
VK_INLINE void vk_exp_tail(double *values, size_t count) {
    double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    __builtin_memcpy(lanes, values, count * sizeof(double));
    vk_f64x8 result = vk_exp8(vk_load8(lanes));
    vk_store8(lanes, result);
    __builtin_memcpy(values, lanes, count * sizeof(double));
}

#endif
