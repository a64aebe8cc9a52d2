// The fused RNN forward pass (VectorKernelsRNN.h): RNNStepBody.h compiled three times, for the
// baseline (no target attribute: SSE2 on x86-64, NEON on arm64), AVX2+FMA and AVX-512, and one
// dispatch per call on vk_active_isa().
//
// Register blocks (batch rows × vectors of columns) keep accumulators plus one vector of R per
// column in the 16 (AVX2, SSE) or 32 (AVX-512) vector registers; a block walks R's rows k
// ascending, so a head's R panel is reused across the rows of a batch tile while it sits in L1.
#include "VectorKernels.h"
#include "VectorKernelsRNN.h"

#include <math.h>
#include <string.h>

static long vk_rnn_input_gates(vk_rnn_cell cell) {
    return cell == VK_RNN_ELMAN ? 1 : (cell == VK_RNN_GRU ? 3 : 4);
}

static long vk_rnn_recurrent_gates(vk_rnn_cell cell) { return vk_rnn_input_gates(cell); }

long vk_rnn_panel_columns(long depth) {
    long cols = (4096 / (depth > 0 ? depth : 1)) / 16 * 16;
    return cols < 16 ? 16 : cols;
}

void vk_rnn_pack_f32(long heads, long depth, long width, const float *r, float *packed) {
    const long panel = vk_rnn_panel_columns(depth);
    for (long head = 0; head < heads; head++) {
        const float *source = r + head * depth * width;
        float *target = packed + head * depth * width;
        for (long j = 0; j < width; j += panel) {
            const long cols = width - j < panel ? width - j : panel;
            for (long k = 0; k < depth; k++) memcpy(target + j * depth + k * cols, source + k * width + j, (size_t)cols * sizeof(float));
        }
    }
}

static float vk_sigmoid_scalar(float x) {
    if (x >= 0) return 1 / (1 + expf(-x));
    float e = expf(x);
    return e / (1 + e);
}

static float vk_log_sigmoid_scalar(float x) { return x >= 0 ? -log1pf(expf(-x)) : x - log1pf(expf(x)); }

/// One sLSTM element through libm, operation for operation as the Swift `CellPointwise`
/// (m: stabiliser, n: normaliser; the forget term is 0 while n = 0, before the first step).
static void vk_rnn_slstm_element(const float *wx, long ws, const float *ry, long rs, const float *b, long bs, float *st,
                                 long ss) {
    float i_raw = wx[0] + ry[0] + b[0];
    float f_raw = wx[ws] + ry[rs] + b[bs];
    float z_raw = wx[2 * ws] + ry[2 * rs] + b[2 * bs];
    float o_raw = wx[3 * ws] + ry[3 * rs] + b[3 * bs];
    float c = st[ss], n = st[2 * ss], m = st[3 * ss];
    float log_f_plus_m = vk_log_sigmoid_scalar(f_raw) + m;
    float m_new = n == 0 ? i_raw : fmaxf(i_raw, log_f_plus_m);
    float i = expf(i_raw - m_new);
    float f = n == 0 ? 0 : expf(log_f_plus_m - m_new);
    float c_new = f * c + i * tanhf(z_raw);
    float n_new = fmaxf(f * n + i, 1);
    st[0] = vk_sigmoid_scalar(o_raw) * c_new / n_new;
    st[ss] = c_new;
    st[2 * ss] = n_new;
    st[3 * ss] = m_new;
}

// Baseline: 4 lanes, separate multiply and add.
#define VK_NAME(x) x##_baseline
#define VK_W 4
#define VK_FMA 0
#define VK_NV6 2
#define VK_NV4 2
#define VK_NV3 3
#define VK_NV2 4
#define VK_NV1 8
#include "RNNStepBody.h"
#undef VK_NAME
#undef VK_W
#undef VK_FMA
#undef VK_NV6
#undef VK_NV4
#undef VK_NV3
#undef VK_NV2
#undef VK_NV1

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define VK_NAME(x) x##_avx2
#define VK_W 8
#define VK_FMA 1
#define VK_NV6 2
#define VK_NV4 2
#define VK_NV3 3
#define VK_NV2 4
#define VK_NV1 8
#include "RNNStepBody.h"
#undef VK_NAME
#undef VK_W
#undef VK_FMA
#undef VK_NV6
#undef VK_NV4
#undef VK_NV3
#undef VK_NV2
#undef VK_NV1
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma"))), \
                             apply_to = function)
#define VK_NAME(x) x##_avx512
#define VK_W 16
#define VK_FMA 1
#define VK_NV6 4
#define VK_NV4 5
#define VK_NV3 6
#define VK_NV2 7
#define VK_NV1 8
#include "RNNStepBody.h"
#undef VK_NAME
#undef VK_W
#undef VK_FMA
#undef VK_NV6
#undef VK_NV4
#undef VK_NV3
#undef VK_NV2
#undef VK_NV1
#pragma clang attribute pop
#endif

size_t vk_rnn_scratch_floats(const vk_rnn_pass *pass) {
    return (size_t)(pass->batch_tile * vk_rnn_recurrent_gates(pass->cell) * pass->head_dim);
}

// Each entry point: `VK_CALL(f, (args))` runs f_avx512 or f_avx2 on those paths and returns,
// or else runs the baseline copy.
#define VK_CALL(f, args)          \
    do {                          \
        VK_DISPATCH_ARGS(f, args) \
        f##_baseline args;        \
    } while (0)
#if defined(__x86_64__)
#define VK_DISPATCH_ARGS(f, args)                       \
    switch (vk_active_isa()) {                          \
    case VK_ISA_AVX512: f##_avx512 args; return;        \
    case VK_ISA_AVX2_FMA: f##_avx2 args; return;        \
    default: break;                                     \
    }
#else
#define VK_DISPATCH_ARGS(f, args)
#endif

void vk_rnn_fused_f32(const vk_rnn_pass *pass, long first_item, long last_item, float *scratch) {
    VK_CALL(fused, (pass, first_item, last_item, scratch));
}

void vk_rnn_recurrent_f32(long rows, long depth, long width, const float *h, long h_stride, const float *r, float *out,
                          long out_stride) {
    VK_CALL(recurrent, (rows, depth, width, h, h_stride, r, out, out_stride));
}

void vk_rnn_pointwise_f32(vk_rnn_cell cell, long count, const float *wx, long wx_stride, const float *ry, long ry_stride,
                          const float *bias, long bias_stride, float *state, long state_stride) {
    VK_CALL(pointwise, (cell, count, wx, wx_stride, ry, ry_stride, bias, bias_stride, state, state_stride));
}

void vk_rnn_sigmoid_f32(long count, const float *x, float *y) { VK_CALL(gates, (0, count, x, y)); }

void vk_rnn_tanh_f32(long count, const float *x, float *y) { VK_CALL(gates, (1, count, x, y)); }
