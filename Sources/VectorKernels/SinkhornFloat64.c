// Sinkhorn's scaling products on a row-major kernel K, one copy per ISA (Float64Lanes.h):
// K v, Kᵀ u, and the one-pass sweep that does a row update and prepares the column update.
//
// Plain Sinkhorn streams K twice per iteration with two dgemv calls (K v, then Kᵀ u); at n in the
// thousands K lives in L3 or memory, so the bytes moved set the time. The sweep reads each row
// of K once from memory: its dot product with v gives (K v)_i and u_i = r_i / (K v)_i, and the
// same row, still in L1 (16 KiB at n = 2000), is then added, times u_i, into Kᵀ u.
#include "Float64Lanes.h"
#include "VectorKernels.h"
#include "VectorKernelsFloat64.h"

/// Rows are taken four at a time: four memory streams in flight hide the latency at each row's
/// start and at page boundaries (one row at a time streamed measurably slower than OpenBLAS's
/// dgemv), each load of v and each load and store of Kᵀu serves four rows. The grouping does not
/// change any result: every dot product has its own lanes, and Kᵀu still adds the rows in order.
#define VK_ROWS 4

/// Lanes l0 … l7 reduced as ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)).
VK_INLINE double reduce8(vk_f64x8 c) { return ((c[0] + c[1]) + (c[2] + c[3])) + ((c[4] + c[5]) + (c[6] + c[7])); }

/// Σ_j row_j v_j in eight lanes j mod 8, reduced by `reduce8`, then the tail in order.
VK_INLINE double dot_body(const double *row, const double *v, size_t count) {
    vk_f64x8 a = vk_splat8(0.0);
    size_t j = 0;
    for (; j + 8 <= count; j += 8) a += vk_load8(row + j) * vk_load8(v + j);
    double sum = reduce8(a);
    for (; j < count; j++) sum += row[j] * v[j];
    return sum;
}

/// `dot_body` for four rows `columns` apart at once, into out[0…3]; the same bits as four calls.
VK_INLINE void dot4_body(const double *rows, size_t columns, const double *v, double *out) {
    const double *r0 = rows, *r1 = rows + columns, *r2 = rows + 2 * columns, *r3 = rows + 3 * columns;
    vk_f64x8 a0 = vk_splat8(0.0), a1 = a0, a2 = a0, a3 = a0;
    size_t j = 0;
    for (; j + 8 <= columns; j += 8) {
        vk_f64x8 x = vk_load8(v + j);
        a0 += vk_load8(r0 + j) * x;
        a1 += vk_load8(r1 + j) * x;
        a2 += vk_load8(r2 + j) * x;
        a3 += vk_load8(r3 + j) * x;
    }
    double s0 = reduce8(a0), s1 = reduce8(a1), s2 = reduce8(a2), s3 = reduce8(a3);
    for (; j < columns; j++) {
        s0 += r0[j] * v[j];
        s1 += r1[j] * v[j];
        s2 += r2[j] * v[j];
        s3 += r3[j] * v[j];
    }
    out[0] = s0, out[1] = s1, out[2] = s2, out[3] = s3;
}

/// out_j += w_k·row_k,j for k = 0 … `count` − 1 (at most four rows `columns` apart), in order of k.
VK_INLINE void axpy_rows_body(const double *weights, size_t count, const double *rows, size_t columns, double *out) {
    size_t j = 0;
    if (count == VK_ROWS) {
        const double *r0 = rows, *r1 = rows + columns, *r2 = rows + 2 * columns, *r3 = rows + 3 * columns;
        const double w0 = weights[0], w1 = weights[1], w2 = weights[2], w3 = weights[3];
        for (; j + 8 <= columns; j += 8) {
            vk_f64x8 acc = vk_load8(out + j);
            acc = acc + w0 * vk_load8(r0 + j);
            acc = acc + w1 * vk_load8(r1 + j);
            acc = acc + w2 * vk_load8(r2 + j);
            acc = acc + w3 * vk_load8(r3 + j);
            vk_store8(out + j, acc);
        }
        for (; j < columns; j++) out[j] = (((out[j] + w0 * r0[j]) + w1 * r1[j]) + w2 * r2[j]) + w3 * r3[j];
        return;
    }
    for (size_t k = 0; k < count; k++) {
        const double *row = rows + k * columns;
        const double w = weights[k];
        for (j = 0; j + 8 <= columns; j += 8) vk_store8(out + j, vk_load8(out + j) + w * vk_load8(row + j));
        for (; j < columns; j++) out[j] += w * row[j];
    }
}

VK_INLINE void row_products_body(const double *kernel, size_t rows, size_t columns, const double *v, double *kv) {
    size_t i = 0;
    for (; i + VK_ROWS <= rows; i += VK_ROWS) dot4_body(kernel + i * columns, columns, v, kv + i);
    for (; i < rows; i++) kv[i] = dot_body(kernel + i * columns, v, columns);
}

VK_INLINE void column_products_body(const double *kernel, size_t rows, size_t columns, const double *u, double *ktu) {
    for (size_t j = 0; j < columns; j++) ktu[j] = 0;
    for (size_t i = 0; i < rows; i += VK_ROWS) {
        size_t count = rows - i < VK_ROWS ? rows - i : VK_ROWS;
        axpy_rows_body(u + i, count, kernel + i * columns, columns, ktu);
    }
}

VK_INLINE void sweep_body(
    const double *kernel, size_t rows, size_t columns, const double *v, const double *source, double *kv, double *u_next,
    double *ktu) {
    for (size_t j = 0; j < columns; j++) ktu[j] = 0;
    for (size_t i = 0; i < rows; i += VK_ROWS) {
        size_t count = rows - i < VK_ROWS ? rows - i : VK_ROWS;
        const double *block = kernel + i * columns;
        if (count == VK_ROWS) {
            dot4_body(block, columns, v, kv + i);
        } else {
            for (size_t k = 0; k < count; k++) kv[i + k] = dot_body(block + k * columns, v, columns);
        }
        for (size_t k = 0; k < count; k++) u_next[i + k] = source[i + k] / kv[i + k];
        axpy_rows_body(u_next + i, count, block, columns, ktu);
    }
}

// The three copies of each entry point, and the dispatch on `vk_active_isa()`.
static void products_baseline(const double *k, size_t n, size_t m, const double *v, double *kv) { row_products_body(k, n, m, v, kv); }
static void transposed_baseline(const double *k, size_t n, size_t m, const double *u, double *ktu) { column_products_body(k, n, m, u, ktu); }
static void sweep_baseline(const double *k, size_t n, size_t m, const double *v, const double *r, double *kv, double *u, double *ktu) {
    sweep_body(k, n, m, v, r, kv, u, ktu);
}
#if VK_HAS_X86_PATHS
VK_TARGET_AVX2 static void products_avx2(const double *k, size_t n, size_t m, const double *v, double *kv) { row_products_body(k, n, m, v, kv); }
VK_TARGET_AVX2 static void transposed_avx2(const double *k, size_t n, size_t m, const double *u, double *ktu) { column_products_body(k, n, m, u, ktu); }
VK_TARGET_AVX2 static void sweep_avx2(const double *k, size_t n, size_t m, const double *v, const double *r, double *kv, double *u, double *ktu) {
    sweep_body(k, n, m, v, r, kv, u, ktu);
}
VK_TARGET_AVX512 static void products_avx512(const double *k, size_t n, size_t m, const double *v, double *kv) { row_products_body(k, n, m, v, kv); }
VK_TARGET_AVX512 static void transposed_avx512(const double *k, size_t n, size_t m, const double *u, double *ktu) { column_products_body(k, n, m, u, ktu); }
VK_TARGET_AVX512 static void sweep_avx512(const double *k, size_t n, size_t m, const double *v, const double *r, double *kv, double *u, double *ktu) {
    sweep_body(k, n, m, v, r, kv, u, ktu);
}
#endif

void vk_row_products_f64(const double *kernel, size_t rows, size_t columns, const double *v, double *kv) {
#if VK_HAS_X86_PATHS
    switch (vk_active_isa()) {
    case VK_ISA_AVX512: products_avx512(kernel, rows, columns, v, kv); return;
    case VK_ISA_AVX2_FMA: products_avx2(kernel, rows, columns, v, kv); return;
    case VK_ISA_BASELINE: break;
    }
#endif
    products_baseline(kernel, rows, columns, v, kv);
}

void vk_column_products_f64(const double *kernel, size_t rows, size_t columns, const double *u, double *ktu) {
#if VK_HAS_X86_PATHS
    switch (vk_active_isa()) {
    case VK_ISA_AVX512: transposed_avx512(kernel, rows, columns, u, ktu); return;
    case VK_ISA_AVX2_FMA: transposed_avx2(kernel, rows, columns, u, ktu); return;
    case VK_ISA_BASELINE: break;
    }
#endif
    transposed_baseline(kernel, rows, columns, u, ktu);
}

void vk_sinkhorn_sweep_f64(
    const double *kernel, size_t rows, size_t columns, const double *v, const double *source, double *kv, double *u_next,
    double *ktu) {
#if VK_HAS_X86_PATHS
    switch (vk_active_isa()) {
    case VK_ISA_AVX512: sweep_avx512(kernel, rows, columns, v, source, kv, u_next, ktu); return;
    case VK_ISA_AVX2_FMA: sweep_avx2(kernel, rows, columns, v, source, kv, u_next, ktu); return;
    case VK_ISA_BASELINE: break;
    }
#endif
    sweep_baseline(kernel, rows, columns, v, source, kv, u_next, ktu);
}
