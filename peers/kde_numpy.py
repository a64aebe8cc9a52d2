"""numpy's blocked GEMM + exp kernel sums on the sample and queries `claimbench perf kde` times.

Peer: numpy.blocked. The same algorithm as ClaimBench's KernelSums (Sources/KernelDensityExperiment):
the sample in blocks of `block_size` points, one GEMM (numpy's BLAS) for the cross terms,
|x - y|^2 = |x|^2 + |y|^2 - 2 x.y clamped at 0, and per bandwidth h a running sum of
exp(-(D - D_min)/(2h^2)) relative to the smallest squared distance so far (rescaled when a block
lowers it), so nothing underflows; in-place operations on one scratch block, so the exponentials
do not allocate. Output: log Z_h(x) = -D_min/(2h^2) + log s_h, a queries x
bandwidths array (the log-densities up to a constant both sides would add alike). ClaimBench's
timed sum also keeps sum e^2 and the nearest distance per query (its experiment needs them);
the peer does not.

Timing: median of `repetitions` whole passes after one warm-up.
"""

import sys

import common

PEERS = ("numpy.blocked",)


def log_kernel_sums(np, data, queries, bandwidths, block):
    rates = 1.0 / (2.0 * bandwidths * bandwidths)
    query_norms = np.einsum("ij,ij->i", queries, queries)
    smallest = None
    sums = np.zeros((queries.shape[0], bandwidths.size))
    scratch = np.empty((queries.shape[0], min(block, data.shape[0])))
    for start in range(0, data.shape[0], block):
        points = data[start:start + block]
        distances = queries @ points.T
        distances *= -2.0
        distances += query_norms[:, None]
        distances += np.einsum("ij,ij->i", points, points)[None, :]
        np.maximum(distances, 0.0, out=distances)
        block_smallest = distances.min(axis=1)
        lowered = block_smallest if smallest is None else np.minimum(smallest, block_smallest)
        distances -= lowered[:, None]
        terms = scratch[:, :points.shape[0]]
        for h, rate in enumerate(rates):
            if smallest is not None:
                sums[:, h] *= np.exp(-rate * (smallest - lowered))
            np.multiply(distances, -rate, out=terms)
            np.exp(terms, out=terms)
            sums[:, h] += terms.sum(axis=1)
        smallest = lowered
    return -rates[None, :] * smallest[:, None] + np.log(sums)


def main():
    args = common.arguments()
    np = common.require("numpy", PEERS, args)
    workload = common.Workload(args.workload, np)
    results, errors = [], []
    for index, name, parameters, inputs in workload.cases():
        data, queries, bandwidths = inputs["data"], inputs["queries"], inputs["bandwidths"]
        block = int(parameters["block_size"])
        try:
            samples = common.timings(lambda: log_kernel_sums(np, data, queries, bandwidths, block), int(parameters["repetitions"]))
            output = common.save_output(np, args, PEERS[0], index, log_kernel_sums(np, data, queries, bandwidths, block))
            results.append({"case": name, "peer": PEERS[0], "seconds": common.median(samples), "samples": samples, "output": output,
                            "note": f"numpy {np.__version__}, blocks of {block}"})
        except Exception as error:
            errors.append({"case": name, "peer": PEERS[0], "error": f"{type(error).__name__}: {error}"})
    common.write_result(args.result, results, errors=errors)


if __name__ == "__main__":
    sys.exit(main())
