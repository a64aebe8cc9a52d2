#ifndef ONEDNN_RNN_H
#define ONEDNN_RNN_H
/// A narrow C interface over oneDNN's RNN forward-inference primitives (LSTM, linear-before-reset
/// GRU, vanilla tanh RNN) for the rnn suite's vendor baseline. One handle is one primitive of a
/// fixed shape (steps T, batch B, SLC input channels, DHC hidden channels, one layer, left to
/// right) with `instances` sets of weights, each reordered once into the layout oneDNN chooses;
/// `onednn_rnn_execute` runs one instance. All tensors are float32 in oneDNN's plain layouts:
///   weights_layer [instances][SLC][G][DHC] (ldigo), weights_iter [instances][DHC][G][DHC] (ldigo),
///   bias [instances][G_b][DHC] (ldgo), src_layer [T][B][SLC] (tnc), dst_layer [T][B][DHC] (tnc),
///   dst_iter, dst_iter_c [B][DHC] (ldnc with one layer and direction). Initial states are zero.
#include <stddef.h>

typedef enum {
    ONEDNN_RNN_LSTM = 0,
    ONEDNN_RNN_LBR_GRU = 1,
    ONEDNN_RNN_TANH = 2,
} onednn_rnn_cell;

typedef struct onednn_rnn onednn_rnn;

/// Creates the primitive and the instances' reordered weights; NULL on failure with a one-line
/// reason in `error` (oneDNN's status and the call that failed).
onednn_rnn *onednn_rnn_create(onednn_rnn_cell cell, int steps, int batch, int input_channels, int hidden,
                              int instances, const float *weights_layer, const float *weights_iter,
                              const float *bias, int threads, char *error, size_t error_size);

/// Runs instance `instance` on src_layer; dst_iter_c is used only by the LSTM (may be NULL
/// otherwise). Returns 0 on success, oneDNN's status otherwise.
int onednn_rnn_execute(onednn_rnn *rnn, int instance, const float *src_layer, float *dst_layer,
                       float *dst_iter, float *dst_iter_c);

/// oneDNN's name of the implementation it chose (e.g. "ref:any" or a jit kernel's name).
const char *onednn_rnn_implementation(const onednn_rnn *rnn);

void onednn_rnn_destroy(onednn_rnn *rnn);

/// The library's version as loaded at run time, its git hash, and its CPU threading runtime
/// ("OpenMP", "TBB", "sequential", "threadpool") as built.
void onednn_version(int *major, int *minor, int *patch, const char **hash);
const char *onednn_cpu_runtime(void);

/// The instruction set oneDNN's JIT kernels use on this CPU ("AVX2", "AVX-512 core", ...).
const char *onednn_cpu_isa(void);

/// Whether the runtime's thread count can be set from here (OpenMP found, or sequential).
int onednn_threads_settable(void);

#endif
