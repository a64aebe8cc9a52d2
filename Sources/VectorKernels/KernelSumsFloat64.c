// `vk_kde_row_f64`: one query's row of KernelDensityExperiment's blocked kernel sums, one copy per
// ISA (Float64Lanes.h). The distances are assembled once from the dgemm cross terms; then, per
// rate, each exponent, its exponential and its two sums stay in registers (the row of distances,
// 16 KiB at the experiment's block of 2048 points, is re-read from L1 once per rate).
#include "Float64Lanes.h"
#include "VectorKernels.h"
#include "VectorKernelsFloat64.h"

/// D_j = max(|x|² + |y_j|² − 2c_j, 0), NaN → 0 (the Swift code's `value > 0 ? value : 0`), and
/// their minimum (exact in any order: no D_j is NaN).
VK_INLINE double distances_body(const double *cross, const double *norms, double query_norm, size_t count, double *out) {
    vk_f64x8 minimum = vk_splat8(__builtin_inf());
    const vk_f64x8 zero = vk_splat8(0.0);
    size_t j = 0;
    for (; j + 8 <= count; j += 8) {
        vk_f64x8 value = (query_norm + vk_load8(norms + j)) - 2.0 * vk_load8(cross + j);
        value = vk_select8((vk_i64x8)(value > zero), value, zero);
        vk_store8(out + j, value);
        minimum = vk_select8((vk_i64x8)(value < minimum), value, minimum);
    }
    double result = __builtin_inf();
    for (int lane = 0; lane < 8; lane++) result = minimum[lane] < result ? minimum[lane] : result;
    for (; j < count; j++) {
        double value = (query_norm + norms[j]) - 2.0 * cross[j];
        value = value > 0 ? value : 0;
        out[j] = value;
        result = value < result ? value : result;
    }
    return result;
}

/// (Σ e_j, Σ e_j²), e_j = exp(−rate·(D_j − offset)), in four lanes j mod 4, the tail in lane 0,
/// reduced as (l0 + l1) + (l2 + l3): the order of the Swift loop this kernel replaced.
VK_INLINE void exponential_sums_body(const double *distances, size_t count, double rate, double offset, double *sum, double *square_sum) {
    const double negative_rate = -rate;
    vk_f64x4 s = {0, 0, 0, 0}, q = {0, 0, 0, 0};
    size_t j = 0;
    for (; j + 8 <= count; j += 8) {
        vk_f64x8 e = vk_exp8(negative_rate * (vk_load8(distances + j) - offset));
        vk_f64x8 e2 = e * e;
        // Lanes j mod 4: elements j … j+3 first, then j+4 … j+7, as the four-lane loop did.
        s += __builtin_shufflevector(e, e, 0, 1, 2, 3);
        q += __builtin_shufflevector(e2, e2, 0, 1, 2, 3);
        s += __builtin_shufflevector(e, e, 4, 5, 6, 7);
        q += __builtin_shufflevector(e2, e2, 4, 5, 6, 7);
    }
    if (j < count) {
        double tail[8];
        size_t rest = count - j;
        for (size_t t = 0; t < rest; t++) tail[t] = negative_rate * (distances[j + t] - offset);
        vk_exp_tail(tail, rest);
        size_t t = 0;
        for (; t + 4 <= rest; t += 4) {
            vk_f64x4 e = {tail[t], tail[t + 1], tail[t + 2], tail[t + 3]};
            s += e;
            q += e * e;
        }
        for (; t < rest; t++) {
            s[0] += tail[t];
            q[0] += tail[t] * tail[t];
        }
    }
    *sum = (s[0] + s[1]) + (s[2] + s[3]);
    *square_sum = (q[0] + q[1]) + (q[2] + q[3]);
}

VK_INLINE double row_body(
    const double *cross, const double *norms, double query_norm, size_t count, double previous_minimum, const double *rates,
    size_t rate_count, double *distances, double *sums, double *square_sums) {
    double row_minimum = distances_body(cross, norms, query_norm, count, distances);
    double minimum = row_minimum < previous_minimum ? row_minimum : previous_minimum;
    for (size_t h = 0; h < rate_count; h++)
        exponential_sums_body(distances, count, rates[h], minimum, sums + h, square_sums + h);
    return minimum;
}

#define VK_ROW_ARGUMENTS                                                                                                  \
    const double *cross, const double *norms, double query_norm, size_t count, double previous_minimum,                \
        const double *rates, size_t rate_count, double *distances, double *sums, double *square_sums
#define VK_ROW_CALL cross, norms, query_norm, count, previous_minimum, rates, rate_count, distances, sums, square_sums

static double row_baseline(VK_ROW_ARGUMENTS) { return row_body(VK_ROW_CALL); }
#if VK_HAS_X86_PATHS
VK_TARGET_AVX2 static double row_avx2(VK_ROW_ARGUMENTS) { return row_body(VK_ROW_CALL); }
VK_TARGET_AVX512 static double row_avx512(VK_ROW_ARGUMENTS) { return row_body(VK_ROW_CALL); }
#endif

double vk_kde_row_f64(VK_ROW_ARGUMENTS) {
#if VK_HAS_X86_PATHS
    switch (vk_active_isa()) {
    case VK_ISA_AVX512: return row_avx512(VK_ROW_CALL);
    case VK_ISA_AVX2_FMA: return row_avx2(VK_ROW_CALL);
    case VK_ISA_BASELINE: break;
    }
#endif
    return row_baseline(VK_ROW_CALL);
}
