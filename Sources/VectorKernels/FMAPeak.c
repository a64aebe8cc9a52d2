// The multiply-add peak probe (VectorKernelsPeak.h). A core sustains its peak only when enough
// independent multiply-adds are in flight: latency × units per core (Zen 3 and Skylake-SP:
// 4 cycles × 2 units = 8 vectors; the baseline's separate multiply and add: 6 cycles × 2 = 12).
// Each path keeps VK_CHAINS vector accumulators, 12 (16 registers) or 24 (AVX-512's 32), all
// in registers, so the loop is bound by the FMA units alone.
#include "VectorKernels.h"
#include "VectorKernelsPeak.h"

#define VK_CHAIN_BODY(T, W, CHAINS, FMA)                                                        \
    typedef T vec __attribute__((vector_size(W * sizeof(T))));                                  \
    vec x[CHAINS], va, vb;                                                                       \
    for (int l = 0; l < W; l++) {                                                                \
        va[l] = a;                                                                               \
        vb[l] = b;                                                                               \
    }                                                                                            \
    for (int c = 0; c < CHAINS; c++) x[c] = va - va;                                            \
    for (long i = 0; i < iterations; i++) {                                                      \
        /* An empty asm on a and b each round keeps the compiler from folding the chains. */    \
        __asm__ volatile("" : VK_REG(va), VK_REG(vb));                                              \
        for (int c = 0; c < CHAINS; c++) x[c] = FMA(x[c], va, vb);                              \
    }                                                                                            \
    double sum = 0;                                                                              \
    for (int c = 0; c < CHAINS; c++)                                                             \
        for (int l = 0; l < W; l++) sum += (double)x[c][l];                                      \
    return sum;

#if defined(__x86_64__)
#define VK_REG(v) "+v"(v)
#elif defined(__aarch64__)
#define VK_REG(v) "+w"(v)
#else
#define VK_REG(v) "+r"(v)
#endif

#define VK_MULADD(x, a, b) ((x) * (a) + (b))
#define VK_FUSED(x, a, b) __builtin_elementwise_fma(x, a, b)

static double chains_f32_baseline(long iterations, float a, float b) { VK_CHAIN_BODY(float, 4, 12, VK_MULADD) }
static double chains_f64_baseline(long iterations, double a, double b) { VK_CHAIN_BODY(double, 2, 12, VK_MULADD) }

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) static double chains_f32_avx2(long iterations, float a, float b) {
    VK_CHAIN_BODY(float, 8, 12, VK_FUSED)
}
__attribute__((target("avx2,fma"))) static double chains_f64_avx2(long iterations, double a, double b) {
    VK_CHAIN_BODY(double, 4, 12, VK_FUSED)
}
__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma"))) static double chains_f32_avx512(
    long iterations, float a, float b) {
    VK_CHAIN_BODY(float, 16, 24, VK_FUSED)
}
__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma"))) static double chains_f64_avx512(
    long iterations, double a, double b) {
    VK_CHAIN_BODY(double, 8, 24, VK_FUSED)
}
#endif

long vk_fma_per_iteration_f32(void) {
    switch (vk_active_isa()) {
    case VK_ISA_AVX512: return 24 * 16;
    case VK_ISA_AVX2_FMA: return 12 * 8;
    default: return 12 * 4;
    }
}

long vk_fma_per_iteration_f64(void) { return vk_fma_per_iteration_f32() / 2; }

double vk_fma_chains_f32(long iterations, float a, float b) {
#if defined(__x86_64__)
    switch (vk_active_isa()) {
    case VK_ISA_AVX512: return chains_f32_avx512(iterations, a, b);
    case VK_ISA_AVX2_FMA: return chains_f32_avx2(iterations, a, b);
    default: break;
    }
#endif
    return chains_f32_baseline(iterations, a, b);
}

double vk_fma_chains_f64(long iterations, double a, double b) {
#if defined(__x86_64__)
    switch (vk_active_isa()) {
    case VK_ISA_AVX512: return chains_f64_avx512(iterations, a, b);
    case VK_ISA_AVX2_FMA: return chains_f64_avx2(iterations, a, b);
    default: break;
    }
#endif
    return chains_f64_baseline(iterations, a, b);
}
