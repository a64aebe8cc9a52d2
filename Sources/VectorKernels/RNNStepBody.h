// The fused RNN kernels' body, included once per ISA by RNNStep.c inside a
// `#pragma clang attribute` target region. Before including, define:
//   VK_NAME(x)  the ISA's suffixed name of x (e.g. x##_avx2)
//   VK_W        Float32 lanes per vector (4, 8, 16)
//   VK_FMA      1 when a·b + c is one fused operation, 0 for a separate multiply and add
//   VK_NV1 … VK_NV4, VK_NV6  vectors of columns per register block for blocks of 1 … 4 and 6
//               batch rows (accumulators + one register per column vector + a broadcast h fit
//               the register file without spills)
// Every lane is computed by the same sequence of operations whatever VK_W is, so paths with
// the same VK_FMA agree bit for bit.

typedef float VK_NAME(vf) __attribute__((vector_size(VK_W * 4)));
typedef int VK_NAME(vi) __attribute__((vector_size(VK_W * 4)));
#define vf VK_NAME(vf)
#define vi VK_NAME(vi)

static inline vf VK_NAME(splat)(float s) {
    vf v;
    for (int l = 0; l < VK_W; l++) v[l] = s;
    return v;
}

static inline vf VK_NAME(load)(const float *p) {
    vf v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void VK_NAME(store)(float *p, vf v) { memcpy(p, &v, sizeof v); }

/// a·b + c: one rounding on the FMA paths, two on the baseline path.
static inline vf VK_NAME(fma)(vf a, vf b, vf c) {
#if VK_FMA
    return __builtin_elementwise_fma(a, b, c);
#else
    return a * b + c;
#endif
}

static inline float VK_NAME(fmas)(float a, float b, float c) {
#if VK_FMA
    return __builtin_fmaf(a, b, c);
#else
    return a * b + c;
#endif
}

#define SPLAT VK_NAME(splat)
#define LOAD VK_NAME(load)
#define STORE VK_NAME(store)
#define FMA VK_NAME(fma)

/// Range reduction shared by exp and expm1: y = n·ln2 + r, |r| ≤ ln2/2 (n rounded to nearest
/// by adding 1.5·2²³), q = expm1(r) by its Taylor series to r⁸/8! (relative truncation error
/// ≤ 0.35⁷/9! ≈ 2e-9), s = 2ⁿ. y must lie in [−87.33, 88.37] so that s is a normal float.
static inline void VK_NAME(reduce)(vf y, vf *q, vf *s) {
    const vf magic = SPLAT(12582912.0f);
    vf shifted = FMA(y, SPLAT(1.44269504088896341f), magic);
    vf n = shifted - magic;
    vf r = FMA(n, SPLAT(-0.693145751953125f), y);
    r = FMA(n, SPLAT(-1.428606765330187e-06f), r);
    vf p = SPLAT(1.0f / 40320);
    p = FMA(p, r, SPLAT(1.0f / 5040));
    p = FMA(p, r, SPLAT(1.0f / 720));
    p = FMA(p, r, SPLAT(1.0f / 120));
    p = FMA(p, r, SPLAT(1.0f / 24));
    p = FMA(p, r, SPLAT(1.0f / 6));
    p = FMA(p, r, SPLAT(0.5f));
    p = FMA(p, r, SPLAT(1.0f));
    *q = p * r;
    vi exponent = ((vi)shifted - (vi)magic + 127) << 23;
    *s = (vf)exponent;
}

/// e^x for x clamped to [−87.33, 88.37] (so e^x never overflows and underflows only to ~1e-38).
static inline vf VK_NAME(exp)(vf x) {
    x = __builtin_elementwise_max(x, SPLAT(-87.33f));
    x = __builtin_elementwise_min(x, SPLAT(88.37f));
    vf q, s;
    VK_NAME(reduce)(x, &q, &s);
    return FMA(s, q, s);  // 2ⁿ(1 + q)
}

/// σ(x) = 1 / (1 + e^−x); `sigmoid_den` is 1 + e^−x.
static inline vf VK_NAME(sigmoid_den)(vf x) { return SPLAT(1.0f) + VK_NAME(exp)(-x); }
static inline vf VK_NAME(sigmoid)(vf x) { return SPLAT(1.0f) / VK_NAME(sigmoid_den)(x); }

/// tanh x = sign(x)·(−u) / (2 + u) with u = expm1(−2|x|), |x| capped at 10 (tanh 10 rounds to
/// 1): no cancellation near 0, so the error is a few ulp relative everywhere. Returned as the
/// numerator and denominator, so that a product with σ can share one division.
static inline void VK_NAME(tanh_parts)(vf x, vf *num, vf *den) {
    vf a = __builtin_elementwise_min(__builtin_elementwise_abs(x), SPLAT(10.0f));
    vf q, s;
    VK_NAME(reduce)(a * SPLAT(-2.0f), &q, &s);
    vf u = FMA(s, q, s - SPLAT(1.0f));  // 2ⁿ·q + (2ⁿ − 1) = expm1(−2|x|)
    *num = __builtin_elementwise_copysign(-u, x);
    *den = SPLAT(2.0f) + u;
}

static inline vf VK_NAME(tanh)(vf x) {
    vf num, den;
    VK_NAME(tanh_parts)(x, &num, &den);
    return num / den;
}

/// VK_W adjacent elements of the LSTM, GRU or Elman step (`RNNCell` equations); operands as in
/// `vk_rnn_pointwise_f32`.
static inline void VK_NAME(update)(vk_rnn_cell cell, const float *wx, long ws, const float *ry, long rs,
                                   const float *b, long bs, float *st, long ss) {
#define PRE(g) (LOAD(wx + (g) * ws) + LOAD(ry + (g) * rs) + LOAD(b + (g) * bs))
    switch (cell) {
    case VK_RNN_LSTM: {
        // σ(ĩ)·tanh(z̃) and σ(õ)·tanh(c) as one quotient each: three divisions instead of five.
        vf f = VK_NAME(sigmoid)(PRE(1));
        vf z_num, z_den, h_num, h_den;
        VK_NAME(tanh_parts)(PRE(2), &z_num, &z_den);
        vf c = FMA(f, LOAD(st + ss), z_num / (VK_NAME(sigmoid_den)(PRE(0)) * z_den));
        STORE(st + ss, c);
        VK_NAME(tanh_parts)(c, &h_num, &h_den);
        STORE(st, h_num / (VK_NAME(sigmoid_den)(PRE(3)) * h_den));
        break;
    }
    case VK_RNN_GRU: {
        vf g = LOAD(ry) + LOAD(b);
        vf r = VK_NAME(sigmoid)(LOAD(wx) + LOAD(ry + rs) + LOAD(b + bs));
        vf z = VK_NAME(sigmoid)(LOAD(wx + ws) + LOAD(ry + 2 * rs) + LOAD(b + 2 * bs));
        vf n = LOAD(wx + 2 * ws) + LOAD(b + 3 * bs);
        vf candidate = VK_NAME(tanh)(FMA(r, g, n));
        STORE(st, FMA(z, LOAD(st), (SPLAT(1.0f) - z) * candidate));
        break;
    }
    case VK_RNN_ELMAN:
        STORE(st, VK_NAME(tanh)(PRE(0)));
        break;
    case VK_RNN_SLSTM:
        break;  // scalar, see vk_rnn_slstm_element
    }
#undef PRE
}

/// The pointwise step of a row of `count` elements: full vectors, then the tail padded with
/// zeros to a full vector in local buffers (so each element sees the vector arithmetic).
static void VK_NAME(pointwise)(vk_rnn_cell cell, long count, const float *wx, long ws, const float *ry, long rs,
                               const float *b, long bs, float *st, long ss) {
    if (cell == VK_RNN_SLSTM) {
        for (long j = 0; j < count; j++) vk_rnn_slstm_element(wx + j, ws, ry + j, rs, b + j, bs, st + j, ss);
        return;
    }
    long j = 0;
    for (; j + VK_W <= count; j += VK_W) VK_NAME(update)(cell, wx + j, ws, ry + j, rs, b + j, bs, st + j, ss);
    long rest = count - j;
    if (rest == 0) return;
    // Gates: at most 4 in Wx, R and b; states: at most 2 for these cells.
    float pw[4 * VK_W] = {0}, pr[4 * VK_W] = {0}, pb[4 * VK_W] = {0}, ps[2 * VK_W] = {0};
    int gw = cell == VK_RNN_ELMAN ? 1 : (cell == VK_RNN_GRU ? 3 : 4);
    int gr = gw, gb = cell == VK_RNN_ELMAN ? 1 : 4, states = cell == VK_RNN_LSTM ? 2 : 1;
    for (int g = 0; g < gw; g++) memcpy(pw + g * VK_W, wx + j + g * ws, (size_t)rest * sizeof(float));
    for (int g = 0; g < gr; g++) memcpy(pr + g * VK_W, ry + j + g * rs, (size_t)rest * sizeof(float));
    for (int g = 0; g < gb; g++) memcpy(pb + g * VK_W, b + j + g * bs, (size_t)rest * sizeof(float));
    for (int s = 0; s < states; s++) memcpy(ps + s * VK_W, st + j + s * ss, (size_t)rest * sizeof(float));
    VK_NAME(update)(cell, pw, VK_W, pr, VK_W, pb, VK_W, ps, VK_W);
    for (int s = 0; s < states; s++) memcpy(st + j + s * ss, ps + s * VK_W, (size_t)rest * sizeof(float));
}

/// One register block: MR batch rows × NV vectors of columns, k ascending over the depth; R's
/// rows are `rs` floats apart.
static inline __attribute__((always_inline)) void VK_NAME(block)(
    const int MR, const int NV, long depth, long rs, const float *h, long hs, const float *r, float *out, long os) {
    vf acc[6][8];
    for (int i = 0; i < MR; i++)
        for (int v = 0; v < NV; v++) acc[i][v] = SPLAT(0.0f);
    for (long k = 0; k < depth; k++) {
        const float *rk = r + k * rs;
        vf rv[8];
        for (int v = 0; v < NV; v++) rv[v] = LOAD(rk + v * VK_W);
        for (int i = 0; i < MR; i++) {
            vf hk = SPLAT(h[i * hs + k]);
            for (int v = 0; v < NV; v++) acc[i][v] = FMA(hk, rv[v], acc[i][v]);
        }
    }
    for (int i = 0; i < MR; i++)
        for (int v = 0; v < NV; v++) STORE(out + i * os + v * VK_W, acc[i][v]);
}

/// `MR` rows over `cols` columns of a panel: blocks of `nvMax` vectors, then narrower blocks (at
/// most 6 vectors each), then the last cols mod VK_W columns one scalar at a time (the same
/// k-ascending multiply-adds).
#define VK_ROWS(MR, nvMax)                                                                                  \
    static void VK_NAME(rows##MR)(long depth, long cols, long rs, const float *h, long hs, const float *r, \
                                  float *out, long os) {                                                    \
        long j = 0;                                                                                         \
        for (; j + (nvMax) * VK_W <= cols; j += (nvMax) * VK_W)                                             \
            VK_NAME(block)(MR, nvMax, depth, rs, h, hs, r + j, out + j, os);                                \
        while (j + VK_W <= cols) switch ((cols - j) / VK_W) {                                               \
        case 1: VK_NAME(block)(MR, 1, depth, rs, h, hs, r + j, out + j, os); j += 1 * VK_W; break;           \
        case 2: VK_NAME(block)(MR, 2, depth, rs, h, hs, r + j, out + j, os); j += 2 * VK_W; break;           \
        case 3: VK_NAME(block)(MR, 3, depth, rs, h, hs, r + j, out + j, os); j += 3 * VK_W; break;           \
        case 4: VK_NAME(block)(MR, 4, depth, rs, h, hs, r + j, out + j, os); j += 4 * VK_W; break;           \
        case 5: VK_NAME(block)(MR, 5, depth, rs, h, hs, r + j, out + j, os); j += 5 * VK_W; break;           \
        default: VK_NAME(block)(MR, 6, depth, rs, h, hs, r + j, out + j, os); j += 6 * VK_W; break;          \
        }                                                                                                   \
        for (; j < cols; j++)                                                                               \
            for (int i = 0; i < (MR); i++) {                                                                \
                float a = 0.0f;                                                                             \
                for (long k = 0; k < depth; k++) a = VK_NAME(fmas)(h[i * hs + k], r[k * rs + j], a);       \
                out[i * os + j] = a;                                                                        \
            }                                                                                               \
    }
VK_ROWS(6, VK_NV6)
VK_ROWS(4, VK_NV4)
VK_ROWS(3, VK_NV3)
VK_ROWS(2, VK_NV2)
VK_ROWS(1, VK_NV1)
#undef VK_ROWS

/// R·h for `rows` rows from R packed by `vk_rnn_pack_f32`: panel by panel (each D × cols floats,
/// contiguous, about 16 KiB), every block of rows within a panel, so the panel is read from L2 or
/// L3 once per call and from L1 by the other row blocks.
static void VK_NAME(recurrent)(long rows, long depth, long width, const float *h, long hs, const float *packed,
                               float *out, long os) {
    const long panel = vk_rnn_panel_columns(depth);
    for (long j = 0; j < width; j += panel) {
        const long cols = width - j < panel ? width - j : panel;
        const float *r = packed + j * depth;
        long i = 0;
        for (; i + 6 <= rows; i += 6) VK_NAME(rows6)(depth, cols, cols, h + i * hs, hs, r, out + i * os + j, os);
        switch (rows - i) {
        case 5:
            VK_NAME(rows3)(depth, cols, cols, h + i * hs, hs, r, out + i * os + j, os);
            VK_NAME(rows2)(depth, cols, cols, h + (i + 3) * hs, hs, r, out + (i + 3) * os + j, os);
            break;
        case 4: VK_NAME(rows4)(depth, cols, cols, h + i * hs, hs, r, out + i * os + j, os); break;
        case 3: VK_NAME(rows3)(depth, cols, cols, h + i * hs, hs, r, out + i * os + j, os); break;
        case 2: VK_NAME(rows2)(depth, cols, cols, h + i * hs, hs, r, out + i * os + j, os); break;
        case 1: VK_NAME(rows1)(depth, cols, cols, h + i * hs, hs, r, out + i * os + j, os); break;
        default: break;
        }
    }
}

static void VK_NAME(fused)(const vk_rnn_pass *p, long first, long last, float *acc) {
    const long d = p->head_dim, hidden = p->heads * d, b = p->batch, tile = p->batch_tile;
    const long gw = vk_rnn_input_gates(p->cell), width = vk_rnn_recurrent_gates(p->cell) * d;
    const long tiles_per_head = b / tile;
    for (long t = 0; t < p->steps; t++) {
        const float *wx_step = p->wx + t * b * gw * hidden;
        for (long item = first; item < last; item++) {
            const long head = item / tiles_per_head, batch0 = (item % tiles_per_head) * tile;
            // The next step's Wx rows of this item stream from memory while R·h runs.
            if (t + 1 < p->steps)
                for (long row = 0; row < tile; row++)
                    for (long g = 0; g < gw; g++) {
                        const float *next = wx_step + b * gw * hidden + ((batch0 + row) * gw + g) * hidden + head * d;
                        for (long e = 0; e < d; e += 16) __builtin_prefetch(next + e, 0, 3);
                    }
            // R·h for the tile's rows first (they read h), then the gates overwrite h.
            VK_NAME(recurrent)(tile, d, width, p->state + batch0 * hidden + head * d, hidden, p->r + head * d * width,
                               acc, width);
            for (long row = 0; row < tile; row++) {
                const long batch = batch0 + row, element = batch * hidden + head * d;
                VK_NAME(pointwise)(p->cell, d, wx_step + batch * gw * hidden + head * d, hidden, acc + row * width, d,
                                   p->bias + head * d, hidden, p->state + element, b * hidden);
                memcpy(p->outputs + t * b * hidden + element, p->state + element, (size_t)d * sizeof(float));
            }
        }
    }
}

static void VK_NAME(gates)(int which, long count, const float *x, float *y) {
    long j = 0;
    for (; j + VK_W <= count; j += VK_W)
        STORE(y + j, which == 0 ? VK_NAME(sigmoid)(LOAD(x + j)) : VK_NAME(tanh)(LOAD(x + j)));
    if (j == count) return;
    float pad[VK_W] = {0};
    memcpy(pad, x + j, (size_t)(count - j) * sizeof(float));
    vf v = LOAD(pad);
    STORE(pad, which == 0 ? VK_NAME(sigmoid)(v) : VK_NAME(tanh)(v));
    memcpy(y + j, pad, (size_t)(count - j) * sizeof(float));
}

#undef SPLAT
#undef LOAD
#undef STORE
#undef FMA
#undef vf
#undef vi
