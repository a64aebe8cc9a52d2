// VectorKernels, part 3: the floating-point multiply-add peak probe. Independent chains
// x ← x·a + b, enough of them to cover the FMA units' latency × throughput (Float32 and Float64,
// on the path `vk_active_isa()` names: baseline multiply then add, AVX2+FMA, AVX-512).
#ifndef CLAIMBENCH_VECTOR_KERNELS_PEAK_H
#define CLAIMBENCH_VECTOR_KERNELS_PEAK_H

#ifdef __cplusplus
extern "C" {
#endif

/// Multiply-adds one `vk_fma_chains_f32` iteration performs on the active path: chains × lanes.
long vk_fma_per_iteration_f32(void);
long vk_fma_per_iteration_f64(void);

/// Runs every chain `iterations` times from x = 0 with x ← x·a + b (fused on the FMA paths,
/// a multiply then an add on the baseline path) and returns the sum of all chains' final
/// values, so that nothing can be elided. With a = b = 1 each chain counts its own
/// multiply-adds: the result is iterations × `vk_fma_per_iteration_*` exactly (below 2²⁴ for
/// Float32 per lane, where x + 1 stays exact).
double vk_fma_chains_f32(long iterations, float a, float b);
double vk_fma_chains_f64(long iterations, double a, double b);

#ifdef __cplusplus
}
#endif
#endif
