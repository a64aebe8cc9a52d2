// `vk_exp_f64`: the vectorised exponential, one copy per ISA (Float64Lanes.h).
#include "Float64Lanes.h"
#include "VectorKernels.h"
#include "VectorKernelsFloat64.h"

VK_INLINE void exp_body(double *values, size_t count) {
    size_t j = 0;
    for (; j + 8 <= count; j += 8) vk_store8(values + j, vk_exp8(vk_load8(values + j)));
    if (j < count) vk_exp_tail(values + j, count - j);
}

static void exp_baseline(double *values, size_t count) { exp_body(values, count); }
#if VK_HAS_X86_PATHS
VK_TARGET_AVX2 static void exp_avx2(double *values, size_t count) { exp_body(values, count); }
VK_TARGET_AVX512 static void exp_avx512(double *values, size_t count) { exp_body(values, count); }
#endif

void vk_exp_f64(double *values, size_t count) {
#if VK_HAS_X86_PATHS
    switch (vk_active_isa()) {
    case VK_ISA_AVX512: exp_avx512(values, count); return;
    case VK_ISA_AVX2_FMA: exp_avx2(values, count); return;
    case VK_ISA_BASELINE: break;
    }
#endif
    exp_baseline(values, count);
}
