// Runtime choice of the vector ISA path: detection once, an optional downgrade, and a name.
#include "VectorKernels.h"

#include <stdatomic.h>

static _Atomic int selected = -1; // -1: not chosen, use the detected path

vk_isa vk_detected_isa(void) {
#if defined(__x86_64__)
    static _Atomic int detected = -1;
    int cached = atomic_load(&detected);
    if (cached >= 0) return (vk_isa)cached;
    __builtin_cpu_init();
    vk_isa isa = VK_ISA_BASELINE;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) isa = VK_ISA_AVX2_FMA;
    if (isa == VK_ISA_AVX2_FMA && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")
        && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"))
        isa = VK_ISA_AVX512;
    atomic_store(&detected, (int)isa);
    return isa;
#else
    return VK_ISA_BASELINE;
#endif
}

vk_isa vk_active_isa(void) {
    int chosen = atomic_load(&selected);
    return chosen >= 0 ? (vk_isa)chosen : vk_detected_isa();
}

int vk_select_isa(vk_isa isa) {
    if ((int)isa < 0 || isa > vk_detected_isa()) return -1;
    atomic_store(&selected, (int)isa);
    return 0;
}

const char *vk_isa_name(vk_isa isa) {
    switch (isa) {
    case VK_ISA_BASELINE: return "baseline";
    case VK_ISA_AVX2_FMA: return "avx2-fma";
    case VK_ISA_AVX512: return "avx512";
    }
    return "unknown";
}
