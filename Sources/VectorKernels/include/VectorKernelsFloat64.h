// The Float64 kernels of VectorKernels: the vectorised exponential (LinearAlgebra's `VectorExp`),
// the KDE kernel-sum row step (KernelDensityExperiment's `KernelSums`) and Sinkhorn's one-pass
// scaling sweep (SinkhornExperiment's `LogStabilizedSinkhorn`). Each runs the path
// `vk_active_isa()` names; every path gives the same bits (no fused multiply-add, summation
// orders fixed by lane counts that do not depend on the ISA).
#ifndef CLAIMBENCH_VECTOR_KERNELS_FLOAT64_H
#define CLAIMBENCH_VECTOR_KERNELS_FLOAT64_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Replaces each of the `count` values by e^x, bit for bit as `VectorExp.exp`: +0 below
/// ln(2⁻¹⁰²²) ≈ −708.396 (subnormal results flushed), +∞ above 709.78, NaN stays NaN.
void vk_exp_f64(double *values, size_t count);

/// One query's row of the KDE kernel sums over a block of `count` points:
/// D_j = max(|x|² + |y_j|² − 2·cross_j, 0) (written to `distances`; NaN becomes 0), the new minimum
/// m = min(previous_minimum, min_j D_j) (returned), and for each of the `rate_count` rates t_h
/// s_h = Σ_j e_j and q_h = Σ_j e_j² with e_j = exp(−t_h·(D_j − m)), written to `sums[h]` and
/// `square_sums[h]`. Each sum runs in four lanes j mod 4 (the tail in lane 0), added as
/// (l0 + l1) + (l2 + l3).
double vk_kde_row_f64(
    const double *cross, const double *point_norms, double query_norm, size_t count, double previous_minimum,
    const double *rates, size_t rate_count, double *distances, double *sums, double *square_sums);

/// kv = K v for the row-major `rows` × `columns` matrix K. Each dot product runs in eight lanes
/// j mod 8, reduced as ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)), then the tail in order.
void vk_row_products_f64(const double *kernel, size_t rows, size_t columns, const double *v, double *kv);

/// ktu = Kᵀ u, accumulated row by row in the order i = 0, 1, ….
void vk_column_products_f64(const double *kernel, size_t rows, size_t columns, const double *u, double *ktu);

/// One pass over K for Sinkhorn: for each row i, kv_i = (K v)_i (as `vk_row_products_f64`),
/// u_next_i = source_i / kv_i, and u_next_i·K_i added into ktu (as `vk_column_products_f64`), so
/// ktu = Kᵀ u_next. Every row of K is read from memory once.
void vk_sinkhorn_sweep_f64(
    const double *kernel, size_t rows, size_t columns, const double *v, const double *source, double *kv,
    double *u_next, double *ktu);

#ifdef __cplusplus
}
#endif
#endif
