// VectorKernels, part 2: the fused head-wise RNN forward pass of FlashRNN (Pöppel, Beck &
// Hochreiter 2024, Sec. 3-4) in Float32, and its building blocks (the recurrent product R·h of
// one head and the cells' pointwise gates). Each entry point runs the copy compiled for
// `vk_active_isa()` (VectorKernels.h): baseline (separate multiply and add), AVX2+FMA or AVX-512.
//
// Arithmetic per path: every output of R·h is Σ_k h[k]·R[k][j] with k ascending, one rounding
// per multiply-add on the FMA paths and two on the baseline path; the gates use this file's own
// exp / expm1 (no libm) except sLSTM's, which calls libm per element on every path. Lanes never
// interact and tails are computed as padded full vectors, so AVX2+FMA and AVX-512 give
// bit-identical results; the baseline path differs from them by FMA's missing roundings.
#ifndef CLAIMBENCH_VECTOR_KERNELS_RNN_H
#define CLAIMBENCH_VECTOR_KERNELS_RNN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The cells of FlashRNN, in the order of the Swift `RNNCell` (gate layouts there).
typedef enum {
    VK_RNN_LSTM = 0,
    VK_RNN_GRU = 1,
    VK_RNN_ELMAN = 2,
    VK_RNN_SLSTM = 3
} vk_rnn_cell;

/// Columns per packed panel of R for head dim `depth`: about 16 KiB of depth × cols floats (half
/// of a 32 KiB L1), a multiple of 16 (every path's vector width), at least 16; the last panel of
/// a head is narrower when G_R·D is not a multiple. The same on every path.
long vk_rnn_panel_columns(long depth);

/// Copies R ([heads][depth][width] row-major, width = G_R·D) into `packed` (as many floats) in the
/// layout the kernels read: per head, column panels of about 16 KiB (`depth` × cols contiguous),
/// so a panel stays in L1 while the rows of a batch tile use it (no 4 KiB-strided rows that
/// alias in L1). The layout is the same on every ISA path.
void vk_rnn_pack_f32(long heads, long depth, long width, const float *r, float *packed);

/// One forward pass: shapes, the inputs it reads and the states and outputs it writes.
/// Layouts (row-major): Wx [T][B][G_W][N][D], b [G_b][N][D], R [N][D][G_R][D] packed by
/// `vk_rnn_pack_f32`, state [S][B][N][D] (state 0 is h; zero before the first step),
/// outputs [T][B][N][D].
typedef struct {
    vk_rnn_cell cell;
    long batch, steps, heads, head_dim;
    /// Batch rows per work item; divides `batch`. Item i is head i / (B / tile), rows
    /// (i mod (B / tile))·tile ..< +tile.
    long batch_tile;
    const float *wx, *r, *bias;
    float *state, *outputs;
} vk_rnn_pass;

/// Floats of scratch one worker needs for `vk_rnn_fused_f32`: batch_tile × G_R × D.
size_t vk_rnn_scratch_floats(const vk_rnn_pass *pass);

/// Runs work items [first_item, last_item) through all T steps (time outer, items inner), with
/// `scratch` (`vk_rnn_scratch_floats` floats) for the R·h tile. Items write disjoint states and
/// outputs, so workers may run disjoint item ranges concurrently; each output's arithmetic does
/// not depend on how items are split.
void vk_rnn_fused_f32(const vk_rnn_pass *pass, long first_item, long last_item, float *scratch);

/// out[i·out_stride + j] = Σ_{k ascending} h[i·h_stride + k] · R[k][j] for i < rows, j < width:
/// one head's recurrent product for `rows` batch rows (depth = D, width = G_R·D), with that
/// head's R packed by `vk_rnn_pack_f32`.
void vk_rnn_recurrent_f32(long rows, long depth, long width, const float *h, long h_stride,
                          const float *packed_r, float *out, long out_stride);

/// The pointwise step of `count` adjacent elements of one head and batch row: gate g of an
/// operand at `pointer + g·stride`, state s at `state + s·state_stride` (`CellPointwise` in Swift).
void vk_rnn_pointwise_f32(vk_rnn_cell cell, long count, const float *wx, long wx_stride,
                          const float *ry, long ry_stride, const float *bias, long bias_stride,
                          float *state, long state_stride);

/// The gates' functions on `count` values, as the active path computes them inside the cells:
/// σ(x) = 1 / (1 + e^−x) and tanh through expm1 (for tests and diagnostics).
void vk_rnn_sigmoid_f32(long count, const float *x, float *y);
void vk_rnn_tanh_f32(long count, const float *x, float *y);

#ifdef __cplusplus
}
#endif
#endif
