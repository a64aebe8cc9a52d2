"""torch LSTMs on the inputs and weights `claimbench perf rnn` times its fused LSTM pass on.

ClaimBench's LSTM has N heads of D dims: each head's recurrent matrix R_n (D x 4D) acts on that
head's h only (block-diagonal), and the gate inputs Wx (T x B x 4 x N x D, gates i, f, z, o as
torch's i, f, g, o) are given, not computed. Peers:

- torch.nn.LSTM: one nn.LSTM(input_size=4D, hidden_size=D) per head (N modules), weight_hh = R_n^T,
  bias_ih = b_n, bias_hh = 0, and weight_ih = the 4D x 4D identity, so x_t = that head's Wx row
  gives exactly our gate pre-activations. Per-head modules keep the recurrent flops equal to
  ours (a dense nn.LSTM of hidden N*D with zero off-diagonal blocks would do N times the
  recurrent flops); the price is the identity input GEMM, 2(4D)^2 flops per token and head
  (4x the recurrent flops, but one large GEMM over all steps), which torch cannot skip and
  ClaimBench has no counterpart for. The head-major copies of Wx are made outside the timing.
- torch.eager-loop: FlashRNN's "vanilla" baseline, a Python loop over steps: one batched matmul
  per step for all heads' R_n h, then the cell's pointwise operations as separate torch ops.

Both under torch.no_grad(), torch.set_num_threads(CLAIMBENCH_PEER_THREADS). Timing:
median of `repetitions` passes after `warmups` untimed ones. Output: h at every step,
T x B x N x D float32.
"""

import sys

import common

PEERS = ("torch.nn.LSTM", "torch.eager-loop")


def per_head_lstms(torch, recurrent, bias):
    heads, d = recurrent.shape[0], recurrent.shape[1]
    modules = []
    for head in range(heads):
        lstm = torch.nn.LSTM(input_size=4 * d, hidden_size=d)
        lstm.weight_ih_l0.copy_(torch.eye(4 * d))
        lstm.weight_hh_l0.copy_(torch.from_numpy(recurrent[head].reshape(d, 4 * d)).T)
        lstm.bias_ih_l0.copy_(torch.from_numpy(bias[:, head, :].reshape(4 * d)))
        lstm.bias_hh_l0.zero_()
        modules.append(lstm)
    return modules


def main():
    args = common.arguments()
    np = common.require("numpy", PEERS, args)
    torch = common.require("torch", PEERS, args)
    torch.set_num_threads(int(common.THREADS))
    workload = common.Workload(args.workload, np)
    results, errors = [], []
    for index, name, parameters, inputs in workload.cases():
        wx, recurrent, bias = inputs["wx"], inputs["recurrent"], inputs["bias"]
        steps, batch, _, heads, d = wx.shape
        repetitions, warmups = int(parameters["repetitions"]), int(parameters["warmups"])
        with torch.no_grad():
            modules = per_head_lstms(torch, recurrent, bias)
            head_inputs = [torch.from_numpy(np.ascontiguousarray(wx[:, :, :, head, :].reshape(steps, batch, 4 * d)))
                           for head in range(heads)]

            def module_pass():
                return torch.stack([module(x)[0] for module, x in zip(modules, head_inputs)], dim=2)

            wx_tensor = torch.from_numpy(wx)
            r_tensor = torch.from_numpy(recurrent.reshape(heads, d, 4 * d))
            b_tensor = torch.from_numpy(bias)

            def eager_pass():
                h = torch.zeros(batch, heads, d)
                c = torch.zeros(batch, heads, d)
                outputs = torch.empty(steps, batch, heads, d)
                for t in range(steps):
                    ry = torch.bmm(h.transpose(0, 1), r_tensor).view(heads, batch, 4, d).permute(1, 2, 0, 3)
                    gates = wx_tensor[t] + ry + b_tensor
                    i = torch.sigmoid(gates[:, 0])
                    f = torch.sigmoid(gates[:, 1])
                    z = torch.tanh(gates[:, 2])
                    o = torch.sigmoid(gates[:, 3])
                    c = f * c + i * z
                    h = o * torch.tanh(c)
                    outputs[t] = h
                return outputs

            for peer, body in zip(PEERS, (module_pass, eager_pass)):
                try:
                    samples = common.timings(body, repetitions, warmups=warmups)
                    output = common.save_output(np, args, peer, index, body().numpy().astype(np.float32))
                    results.append({"case": name, "peer": peer, "seconds": common.median(samples), "samples": samples,
                                    "output": output, "note": f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)"})
                except Exception as error:
                    errors.append({"case": name, "peer": peer, "error": f"{type(error).__name__}: {error}"})
    common.write_result(args.result, results, errors=errors)


if __name__ == "__main__":
    sys.exit(main())
