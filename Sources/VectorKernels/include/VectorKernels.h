// VectorKernels: the hot loops in C, compiled once per vector ISA (baseline, AVX2+FMA, AVX-512)
// with per-function target attributes and chosen at run time (docs/ARCHITECTURE.md,
// "Vector kernels"). Only LinearAlgebra and the experiments' kernel files call these.
#ifndef CLAIMBENCH_VECTOR_KERNELS_H
#define CLAIMBENCH_VECTOR_KERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// The instruction-set paths a kernel can take, ordered from oldest to newest.
typedef enum {
    VK_ISA_BASELINE = 0, ///< x86-64 baseline (SSE2) or arm64 (NEON): compiled for every machine.
    VK_ISA_AVX2_FMA = 1, ///< Haswell and later, Zen and later.
    VK_ISA_AVX512 = 2    ///< AVX-512 F/DQ/BW/VL (Skylake-SP and later, Zen 4 and later).
} vk_isa;

/// The newest path this CPU runs (cpuid through the compiler's builtins; baseline off x86-64).
vk_isa vk_detected_isa(void);

/// The path kernels take: `vk_detected_isa()` unless `vk_select_isa` chose an older one.
vk_isa vk_active_isa(void);

/// Chooses the path for every kernel from now on. Returns 0, or -1 (and changes nothing) when
/// this CPU cannot run `isa`. Called once at start-up from `CLAIMBENCH_ISA` / `--isa`.
int vk_select_isa(vk_isa isa);

/// "baseline", "avx2-fma" or "avx512".
const char *vk_isa_name(vk_isa isa);

#ifdef __cplusplus
}
#endif

// The kernels, one header per family (this header is the module's umbrella for Swift).
#include "VectorKernelsFloat64.h"
#endif

// ---- The fused RNN step and the FMA peak probe (issue 12, Float32 RNN kernels): their own
// headers, made part of this module here (this file is the module's umbrella header).
#include "VectorKernelsRNN.h"
#include "VectorKernelsPeak.h"
