"""POT's Sinkhorn solvers on the problem `claimbench perf sinkhorn` times its iteration on.

Peers: pot.sinkhorn (ot.sinkhorn, method "sinkhorn": Sinkhorn-Knopp on K = exp(-M/reg)) and
pot.sinkhorn_log (method "sinkhorn_log": the same iteration in the log domain).

Same problem: M = C - x0 (+) y0 with reg = 1/eta gives POT the kernel ClaimBench iterates on
(up to a constant factor); shifting C by row and column constants leaves the plans unchanged,
and the transport cost is <P, C> with the original C. POT updates v first and ClaimBench u
first, so POT gets the transposed problem (M^T, a = c, b = r): after the same number of
iterations both plans are then the same matrix up to rounding.

Timing: stopThr = 0 and numItermax fixed, so both calls run exactly k and 2k iterations; the
per-iteration time is the median over repetitions of (t(2k) - t(k)) / k, "per added
iteration", which leaves out the one-off kernel build (K = exp(-M/reg)) and the setup. POT runs
as shipped: subnormal kernel entries are not flushed, and its error check every 10 iterations
(one more pass over K) is part of its iteration. Output: <P, C> after 2k iterations.
"""

import sys
import warnings

import common

PEERS = ("pot.sinkhorn", "pot.sinkhorn_log")


def main():
    args = common.arguments()
    np = common.require("numpy", PEERS, args)
    ot = common.require("ot", PEERS, args)
    workload = common.Workload(args.workload, np)
    results, errors = [], []
    for index, name, parameters, inputs in workload.cases():
        eta = parameters["eta"]
        k = int(parameters["iterations"])
        repetitions = int(parameters["repetitions"])
        cost = inputs["cost"]
        shifted = cost - inputs["x0"][:, None] - inputs["y0"][None, :]
        transposed = np.ascontiguousarray(shifted.T)
        a, b = inputs["target"], inputs["source"]
        for peer, method in zip(PEERS, ("sinkhorn", "sinkhorn_log")):
            def solve(iterations):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    return ot.sinkhorn(a, b, transposed, 1.0 / eta, method=method, numItermax=iterations, stopThr=0.0)
            try:
                solve(k)  # warm-up
                per_iteration = []
                for _ in range(repetitions):
                    short = common.timings(lambda: solve(k), 1, warmups=0)[0]
                    long = common.timings(lambda: solve(2 * k), 1, warmups=0)[0]
                    per_iteration.append((long - short) / k)
                plan = solve(2 * k).T
                transport_cost = float(np.sum(plan * cost))
                output = common.save_output(np, args, peer, index, np.array(transport_cost))
                results.append({"case": name, "peer": peer, "seconds": common.median(per_iteration), "samples": per_iteration,
                                "output": output, "note": f"per added iteration, {k} vs {2 * k} iterations, stopThr=0; POT {ot.__version__}"})
            except Exception as error:  # a failing peer is reported, never dropped
                errors.append({"case": name, "peer": peer, "error": f"{type(error).__name__}: {error}"})
    common.write_result(args.result, results, errors=errors)


if __name__ == "__main__":
    sys.exit(main())
