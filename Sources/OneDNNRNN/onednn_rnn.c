// oneDNN's RNN primitives behind onednn_rnn.h. Written in C rather than Swift because oneDNN's
// C API is a long chain of descriptor structs, fixed-size dims arrays, status codes and argument
// arrays; here each call is one line and the Swift side sees four functions.
#define _GNU_SOURCE
#include "onednn_rnn.h"

#include <dlfcn.h>
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>
#include <stdio.h>
#include <stdlib.h>

struct onednn_rnn {
    onednn_rnn_cell cell;
    int threads, instances;
    dnnl_engine_t engine;
    dnnl_stream_t stream;
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t primitive;
    dnnl_memory_t src_layer, dst_layer, dst_iter, dst_iter_c;
    dnnl_memory_t *weights_layer, *weights_iter, *bias; // one per instance, oneDNN's layout
};

// omp_set_num_threads of the OpenMP runtime libdnnl links against, found at run time so that
// this target links nothing but libdnnl; NULL under other runtimes.
typedef void (*set_threads_fn)(int);
static set_threads_fn omp_setter(void) {
#if DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP
    return (set_threads_fn)dlsym(RTLD_DEFAULT, "omp_set_num_threads");
#else
    return NULL;
#endif
}

const char *onednn_cpu_runtime(void) {
#if DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP
    return "OpenMP";
#elif DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_TBB
    return "TBB";
#elif DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_SEQ
    return "sequential";
#else
    return "threadpool";
#endif
}

const char *onednn_cpu_isa(void) {
    switch (dnnl_get_effective_cpu_isa()) {
    case dnnl_cpu_isa_sse41: return "SSE4.1";
    case dnnl_cpu_isa_avx: return "AVX";
    case dnnl_cpu_isa_avx2: return "AVX2";
    case dnnl_cpu_isa_avx2_vnni: return "AVX2 VNNI";
    case dnnl_cpu_isa_avx512_mic: return "AVX-512 MIC";
    case dnnl_cpu_isa_avx512_mic_4ops: return "AVX-512 MIC 4ops";
    case dnnl_cpu_isa_avx512_core: return "AVX-512 core";
    case dnnl_cpu_isa_avx512_core_vnni: return "AVX-512 core VNNI";
    case dnnl_cpu_isa_avx512_core_bf16: return "AVX-512 core BF16";
    case dnnl_cpu_isa_avx512_core_amx: return "AVX-512 core AMX";
    default: return "other";
    }
}

int onednn_threads_settable(void) {
#if DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_SEQ
    return 1;
#else
    return omp_setter() != NULL;
#endif
}

void onednn_version(int *major, int *minor, int *patch, const char **hash) {
    const dnnl_version_t *v = dnnl_version();
    *major = v->major;
    *minor = v->minor;
    *patch = v->patch;
    *hash = v->hash;
}

#define CHECK(call)                                                                            \
    do {                                                                                       \
        dnnl_status_t status_ = (call);                                                        \
        if (status_ != dnnl_success) {                                                         \
            snprintf(error, error_size, "oneDNN %s: %s", #call, dnnl_status2str(status_));     \
            onednn_rnn_destroy(rnn);                                                           \
            return NULL;                                                                       \
        }                                                                                      \
    } while (0)

static int gate_count(onednn_rnn_cell cell) { return cell == ONEDNN_RNN_LSTM ? 4 : cell == ONEDNN_RNN_LBR_GRU ? 3 : 1; }
static int bias_gate_count(onednn_rnn_cell cell) { return cell == ONEDNN_RNN_LSTM ? 4 : cell == ONEDNN_RNN_LBR_GRU ? 4 : 1; }

// Copies `user` (plain layout `plain`) into a new memory of layout `wanted` through a reorder.
static dnnl_status_t reordered(dnnl_engine_t engine, dnnl_stream_t stream, const dnnl_memory_desc_t *plain,
                               const dnnl_memory_desc_t *wanted, const float *user, dnnl_memory_t *out) {
    dnnl_memory_t source = NULL;
    dnnl_primitive_desc_t rpd = NULL;
    dnnl_primitive_t reorder = NULL;
    dnnl_status_t s = dnnl_memory_create(out, wanted, engine, DNNL_MEMORY_ALLOCATE);
    if (s == dnnl_success) s = dnnl_memory_create(&source, plain, engine, (void *)user);
    if (s == dnnl_success) s = dnnl_reorder_primitive_desc_create(&rpd, plain, engine, wanted, engine, NULL);
    if (s == dnnl_success) s = dnnl_primitive_create(&reorder, rpd);
    if (s == dnnl_success) {
        dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, source}, {DNNL_ARG_TO, *out}};
        s = dnnl_primitive_execute(reorder, stream, 2, args);
    }
    if (s == dnnl_success) s = dnnl_stream_wait(stream);
    if (reorder) dnnl_primitive_destroy(reorder);
    if (rpd) dnnl_primitive_desc_destroy(rpd);
    if (source) dnnl_memory_destroy(source);
    return s;
}

onednn_rnn *onednn_rnn_create(onednn_rnn_cell cell, int steps, int batch, int input_channels, int hidden,
                              int instances, const float *weights_layer, const float *weights_iter,
                              const float *bias, int threads, char *error, size_t error_size) {
    onednn_rnn *rnn = calloc(1, sizeof *rnn);
    if (!rnn) {
        snprintf(error, error_size, "out of memory");
        return NULL;
    }
    rnn->cell = cell;
    rnn->threads = threads;
    rnn->instances = instances;
    rnn->weights_layer = calloc((size_t)instances, sizeof(dnnl_memory_t));
    rnn->weights_iter = calloc((size_t)instances, sizeof(dnnl_memory_t));
    rnn->bias = calloc((size_t)instances, sizeof(dnnl_memory_t));
    if (!rnn->weights_layer || !rnn->weights_iter || !rnn->bias) {
        snprintf(error, error_size, "out of memory");
        onednn_rnn_destroy(rnn);
        return NULL;
    }
    const int g = gate_count(cell), gb = bias_gate_count(cell);
    dnnl_memory_desc_t src_layer, dst_layer, dst_iter, wl_plain, wi_plain, bias_plain, wl_any, wi_any;
    dnnl_dims_t src_dims = {steps, batch, input_channels}, dst_dims = {steps, batch, hidden};
    dnnl_dims_t iter_dims = {1, 1, batch, hidden};
    dnnl_dims_t wl_dims = {1, 1, input_channels, g, hidden}, wi_dims = {1, 1, hidden, g, hidden};
    dnnl_dims_t bias_dims = {1, 1, gb, hidden};
    CHECK(dnnl_memory_desc_init_by_tag(&src_layer, 3, src_dims, dnnl_f32, dnnl_tnc));
    CHECK(dnnl_memory_desc_init_by_tag(&dst_layer, 3, dst_dims, dnnl_f32, dnnl_tnc));
    CHECK(dnnl_memory_desc_init_by_tag(&dst_iter, 4, iter_dims, dnnl_f32, dnnl_ldnc));
    CHECK(dnnl_memory_desc_init_by_tag(&wl_plain, 5, wl_dims, dnnl_f32, dnnl_ldigo));
    CHECK(dnnl_memory_desc_init_by_tag(&wi_plain, 5, wi_dims, dnnl_f32, dnnl_ldigo));
    CHECK(dnnl_memory_desc_init_by_tag(&bias_plain, 4, bias_dims, dnnl_f32, dnnl_ldgo));
    CHECK(dnnl_memory_desc_init_by_tag(&wl_any, 5, wl_dims, dnnl_f32, dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&wi_any, 5, wi_dims, dnnl_f32, dnnl_format_tag_any));

    dnnl_rnn_desc_t desc;
    const dnnl_prop_kind_t prop = dnnl_forward_inference;
    const dnnl_rnn_direction_t dir = dnnl_unidirectional_left2right;
    switch (cell) {
    case ONEDNN_RNN_LSTM:
        CHECK(dnnl_lstm_forward_desc_init(&desc, prop, dir, &src_layer, NULL, NULL, &wl_any, &wi_any, &bias_plain,
                                          &dst_layer, &dst_iter, &dst_iter, 0));
        break;
    case ONEDNN_RNN_LBR_GRU:
        CHECK(dnnl_lbr_gru_forward_desc_init(&desc, prop, dir, &src_layer, NULL, &wl_any, &wi_any, &bias_plain,
                                             &dst_layer, &dst_iter, 0));
        break;
    case ONEDNN_RNN_TANH:
        CHECK(dnnl_vanilla_rnn_forward_desc_init(&desc, prop, dnnl_eltwise_tanh, dir, &src_layer, NULL, &wl_any, &wi_any,
                                                 &bias_plain, &dst_layer, &dst_iter, 0, 0.0f, 0.0f));
        break;
    default:
        snprintf(error, error_size, "unknown cell %d", (int)cell);
        onednn_rnn_destroy(rnn);
        return NULL;
    }
    CHECK(dnnl_engine_create(&rnn->engine, dnnl_cpu, 0));
    CHECK(dnnl_stream_create(&rnn->stream, rnn->engine, dnnl_stream_default_flags));
    CHECK(dnnl_primitive_desc_create(&rnn->pd, &desc, NULL, rnn->engine, NULL));
    CHECK(dnnl_primitive_create(&rnn->primitive, rnn->pd));
    const dnnl_memory_desc_t *wl = dnnl_primitive_desc_query_md(rnn->pd, dnnl_query_exec_arg_md, DNNL_ARG_WEIGHTS_LAYER);
    const dnnl_memory_desc_t *wi = dnnl_primitive_desc_query_md(rnn->pd, dnnl_query_exec_arg_md, DNNL_ARG_WEIGHTS_ITER);
    const dnnl_memory_desc_t *b = dnnl_primitive_desc_query_md(rnn->pd, dnnl_query_exec_arg_md, DNNL_ARG_BIAS);
    const size_t wl_count = (size_t)input_channels * g * hidden, wi_count = (size_t)hidden * g * hidden;
    const size_t bias_count = (size_t)gb * hidden;
    set_threads_fn set_threads = omp_setter();
    if (set_threads) set_threads(threads);
    for (int k = 0; k < instances; k++) {
        CHECK(reordered(rnn->engine, rnn->stream, &wl_plain, wl, weights_layer + k * wl_count, &rnn->weights_layer[k]));
        CHECK(reordered(rnn->engine, rnn->stream, &wi_plain, wi, weights_iter + k * wi_count, &rnn->weights_iter[k]));
        CHECK(reordered(rnn->engine, rnn->stream, &bias_plain, b, bias + k * bias_count, &rnn->bias[k]));
    }
    CHECK(dnnl_memory_create(&rnn->src_layer, &src_layer, rnn->engine, DNNL_MEMORY_NONE));
    CHECK(dnnl_memory_create(&rnn->dst_layer, &dst_layer, rnn->engine, DNNL_MEMORY_NONE));
    CHECK(dnnl_memory_create(&rnn->dst_iter, &dst_iter, rnn->engine, DNNL_MEMORY_NONE));
    if (cell == ONEDNN_RNN_LSTM) CHECK(dnnl_memory_create(&rnn->dst_iter_c, &dst_iter, rnn->engine, DNNL_MEMORY_NONE));
    return rnn;
}

int onednn_rnn_execute(onednn_rnn *rnn, int instance, const float *src_layer, float *dst_layer, float *dst_iter,
                       float *dst_iter_c) {
    if (instance < 0 || instance >= rnn->instances) return dnnl_invalid_arguments;
    if (rnn->cell == ONEDNN_RNN_LSTM && !dst_iter_c) return dnnl_invalid_arguments;
    set_threads_fn set_threads = omp_setter();
    if (set_threads) set_threads(rnn->threads);
    dnnl_status_t s = dnnl_memory_set_data_handle(rnn->src_layer, (void *)src_layer);
    if (s == dnnl_success) s = dnnl_memory_set_data_handle(rnn->dst_layer, dst_layer);
    if (s == dnnl_success) s = dnnl_memory_set_data_handle(rnn->dst_iter, dst_iter);
    if (s == dnnl_success && rnn->dst_iter_c) s = dnnl_memory_set_data_handle(rnn->dst_iter_c, dst_iter_c);
    if (s != dnnl_success) return s;
    dnnl_exec_arg_t args[7] = {
        {DNNL_ARG_SRC_LAYER, rnn->src_layer},           {DNNL_ARG_WEIGHTS_LAYER, rnn->weights_layer[instance]},
        {DNNL_ARG_WEIGHTS_ITER, rnn->weights_iter[instance]}, {DNNL_ARG_BIAS, rnn->bias[instance]},
        {DNNL_ARG_DST_LAYER, rnn->dst_layer},           {DNNL_ARG_DST_ITER, rnn->dst_iter},
        {DNNL_ARG_DST_ITER_C, rnn->dst_iter_c},
    };
    s = dnnl_primitive_execute(rnn->primitive, rnn->stream, rnn->dst_iter_c ? 7 : 6, args);
    if (s == dnnl_success) s = dnnl_stream_wait(rnn->stream);
    return s;
}

const char *onednn_rnn_implementation(const onednn_rnn *rnn) {
    const char *name = "unknown";
    if (rnn->pd) dnnl_primitive_desc_query(rnn->pd, dnnl_query_impl_info_str, 0, &name);
    return name;
}

void onednn_rnn_destroy(onednn_rnn *rnn) {
    if (!rnn) return;
    for (int k = 0; k < rnn->instances; k++) {
        if (rnn->weights_layer && rnn->weights_layer[k]) dnnl_memory_destroy(rnn->weights_layer[k]);
        if (rnn->weights_iter && rnn->weights_iter[k]) dnnl_memory_destroy(rnn->weights_iter[k]);
        if (rnn->bias && rnn->bias[k]) dnnl_memory_destroy(rnn->bias[k]);
    }
    free(rnn->weights_layer);
    free(rnn->weights_iter);
    free(rnn->bias);
    if (rnn->src_layer) dnnl_memory_destroy(rnn->src_layer);
    if (rnn->dst_layer) dnnl_memory_destroy(rnn->dst_layer);
    if (rnn->dst_iter) dnnl_memory_destroy(rnn->dst_iter);
    if (rnn->dst_iter_c) dnnl_memory_destroy(rnn->dst_iter_c);
    if (rnn->primitive) dnnl_primitive_destroy(rnn->primitive);
    if (rnn->pd) dnnl_primitive_desc_destroy(rnn->pd);
    if (rnn->stream) dnnl_stream_destroy(rnn->stream);
    if (rnn->engine) dnnl_engine_destroy(rnn->engine);
    free(rnn);
}
