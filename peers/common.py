"""Shared by the peer scripts of `claimbench perf --peers`: reads a workload ClaimBench exported,
times a peer, and writes the result file ClaimBench reads back.

A workload is a directory holding `workload.json` and `.npy` files (format 1, see
Sources/HarnessCore/PeerExchange/PeerWorkload.swift). Each script is run as

    python peers/<script>.py --workload DIR --result FILE.json --outputs DIR

and writes FILE.json:

    {"format": 1,
     "results": [{"case": NAME, "peer": PEER, "seconds": S, "samples": [...], "output": "FILE.npy",
                  "note": "..."}],
     "missing": {PEER: "reason"},          # a package that cannot be imported
     "errors": [{"case": NAME, "peer": PEER, "error": "..."}]}

It exits with MISSING_EXIT (3) when a package is missing, so ClaimBench reports `missing` rows.
Threads are pinned before numpy or torch load: CLAIMBENCH_PEER_THREADS (default 1) goes into
OMP_NUM_THREADS, MKL_NUM_THREADS, OPENBLAS_NUM_THREADS and the like.
"""

import argparse
import importlib
import json
import os
import sys
import time

THREADS = os.environ.get("CLAIMBENCH_PEER_THREADS", "1")
for _variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "BLIS_NUM_THREADS",
                  "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_variable] = THREADS

MISSING_EXIT = 3


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", required=True, help="directory with workload.json")
    parser.add_argument("--result", required=True, help="result JSON to write")
    parser.add_argument("--outputs", required=True, help="directory for the peers' output arrays")
    return parser.parse_args()


def write_result(path, results=(), missing=None, errors=()):
    document = {"format": 1, "results": list(results), "missing": dict(missing or {}), "errors": list(errors)}
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w") as handle:
        json.dump(document, handle, indent=1, sort_keys=True)
    os.replace(temporary, path)


def require(module, peers, args):
    """Imports `module`, or writes a result marking every peer in `peers` missing and exits 3."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        reason = f"cannot import {module}: {error} (run `make peers`)"
        write_result(args.result, missing={peer: reason for peer in peers})
        print(f"missing: {reason}", file=sys.stderr)
        sys.exit(MISSING_EXIT)


class Workload:
    """workload.json with its arrays; a case's parameters and inputs override the workload's."""

    def __init__(self, directory, np):
        self.directory = directory
        self.np = np
        with open(os.path.join(directory, "workload.json")) as handle:
            self.manifest = json.load(handle)
        if self.manifest.get("format") != 1:
            raise SystemExit(f"{directory}/workload.json: format {self.manifest.get('format')} is not 1; rerun `claimbench perf --peers`")
        self.kind = self.manifest["kind"]
        self.name = self.manifest["workload"]

    def array(self, file):
        return self.np.load(os.path.join(self.directory, file))

    def cases(self):
        """(index, name, parameters, inputs) per case, inputs loaded."""
        for index, case in enumerate(self.manifest["cases"]):
            parameters = {**self.manifest["parameters"], **case["parameters"]}
            files = {**self.manifest["inputs"], **case["inputs"]}
            yield index, case["name"], parameters, {role: self.array(file) for role, file in files.items()}


def timings(body, repetitions, warmups=1):
    """Seconds of `repetitions` calls of body() after `warmups` untimed ones."""
    for _ in range(warmups):
        body()
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter()
        body()
        samples.append(time.perf_counter() - start)
    return samples


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else 0.5 * (ordered[middle - 1] + ordered[middle])


def save_output(np, args, peer, index, array):
    """Writes a peer's output as a C-ordered little-endian array; returns the file name."""
    os.makedirs(args.outputs, exist_ok=True)
    name = f"{peer}_{index}.npy"
    array = np.asarray(array)  # np.ascontiguousarray would turn a 0-d array into shape (1,)
    np.save(os.path.join(args.outputs, name), array if array.flags.c_contiguous else array.copy(order="C"))
    return name
