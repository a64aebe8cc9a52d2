import HarnessCore

/// The plan of an `rnn` run (docs/ARCHITECTURE.md, "Plan"): the metrics and tables it reports,
/// its peak memory and the upper bound of every preset key, from the parameters alone.
extension FlashRNNThroughputExperiment {
    /// The largest B·T per timed call.
    static let maximumTokens = 1 << 20

    /// Metric names as `AgreementCheck` and `ThroughputSweep` build them.
    public static func plannedOutput(_ p: Parameters) -> PlannedOutput {
        var planned = PlannedOutput(tables: ["throughput.csv", "speedup_by_batch.csv"])
        for cell in p.cells {
            for d in p.checkHeadDims {
                let prefix = "\(cell.rawValue)/D=\(d)/"
                planned.add(prefix + "input_checksum", .exact)
                planned.add(prefix + "fused_thread_invariant", .exact)
                planned.add(prefix + "fused_error_mean_over_draws", .stochastic)
                for name in ["max_abs_error_vanilla", "max_abs_error_alternating", "max_abs_error_fused", "fused_output_sum"] {
                    planned.add(prefix + name, .numeric)
                }
                if OneDNNForward.supports(cell) {
                    for layout in OneDNNLayout.allCases { planned.add(prefix + AgreementCheck.oneDNNErrorName(layout), .numeric) }
                }
                for state in AgreementCheck.stateNames[cell] ?? [] {
                    planned.add(prefix + "reference_state_sum_\(state)", .numeric)
                    planned.add(prefix + "fused_state_sum_\(state)", .numeric)
                }
            }
        }
        for d in p.sweep.headDims {
            for b in p.sweep.batches {
                let prefix = "throughput/D=\(d)/B=\(b)/"
                for name in ["speedup_vs_vanilla", "speedup_vs_alternating", "speedup_vs_alternating_simd"] {
                    planned.add(prefix + name, .timing, unit: "x")
                }
                planned.add(prefix + "fraction_of_limit", .timing)
                planned.add(prefix + "fraction_of_fma_peak", .timing)
                planned.add(prefix + "gflops_fused", .timing, unit: "GFLOP/s")
                for name in ["vanilla", "alternating", "alternating_simd", "fused"] {
                    planned.add(prefix + "tokens_per_second_\(name)", .timing, unit: "tokens/s")
                }
                if OneDNNForward.supports(p.sweep.cell) {
                    for name in OneDNNLayout.allCases.map({ $0.rawValue.replacingOccurrences(of: "-", with: "_") }) {
                        planned.add(prefix + "speedup_fused_vs_\(name)", .timing, unit: "x")
                        planned.add(prefix + "tokens_per_second_\(name)", .timing, unit: "tokens/s")
                    }
                }
            }
        }
        for b in p.sweep.batches {
            planned.add("throughput/B=\(b)/speedup_vs_alternating_in_cache", .timing, unit: "x")
            planned.add("throughput/B=\(b)/speedup_vs_alternating_simd_in_cache", .timing, unit: "x")
            planned.add("throughput/B=\(b)/advantage_out_vs_in_cache", .timing)
        }
        planned.add("machine/sgemm_peak_flops", .timing, unit: "flop/s")
        planned.add("machine/read_bandwidth", .timing, unit: "B/s")
        planned.add("machine/fma_peak_float32_flops", .timing, unit: "flop/s")
        return planned
    }

    /// The largest of: one agreement problem (Float32 inputs and outputs of four passes, the
    /// Float64 reference's copies, oneDNN's copy of Wx and its outputs), one throughput problem (B·T = throughput_tokens) with oneDNN's
    /// dense pass (its 0/1 input selection (4·hidden)² and block-diagonal R 4·hidden², each in our
    /// layout and oneDNN's, plus its copies of Wx and h), and the machine probes' arrays.
    public static func peakMemory(_ p: Parameters) -> MemoryEstimate {
        let agreement = 120 * Double(p.checkBatch) * Double(p.checkSteps) * Double(p.checkHidden)
        let hidden = Double(p.sweep.hidden)
        let oneDNN = 8 * (16 * hidden * hidden + 4 * hidden * hidden) + 40 * Double(p.sweep.tokens) * hidden
        let throughput = 48 * Double(p.sweep.tokens) * hidden + oneDNN
        let probes = 2 * Double(p.probeBandwidthMiB) * 1024 * 1024 + 12 * Double(p.probeGemmDimension) * Double(p.probeGemmDimension)
        let parts: [(Double, [String])] = [
            (agreement, ["check_batch", "check_steps", "check_hidden"]),
            (throughput, ["throughput_tokens", "throughput_hidden"]),
            (probes, ["probe_bandwidth_mib", "probe_gemm_dimension"]),
        ]
        let largest = parts.max { $0.0 < $1.0 }!
        return MemoryEstimate(bytes: largest.0 + 64 * 1024 * 1024, keys: largest.1)
    }

    /// Upper bounds of the keys that `decodeParameters` does not bound by a range of its own.
    static func checkBounds(_ p: Parameters, _ table: ParameterTable) throws {
        if p.sweep.tokens > maximumTokens {
            throw table.error("throughput_tokens", "must be at most \(maximumTokens) tokens per timed call, got \(p.sweep.tokens)")
        }
        for (key, count) in [("cells", p.cells.count), ("check_head_dims", p.checkHeadDims.count),
                             ("throughput_head_dims", p.sweep.headDims.count), ("throughput_batches", p.sweep.batches.count)]
        where count > 64 {
            throw table.error(key, "at most 64 values, got \(count)")
        }
    }
}
