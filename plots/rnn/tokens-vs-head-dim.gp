# Throughput (tokens/s = B·T / median seconds, ~95% interval bars) of the LSTM forward pass vs
# head dim D at a fixed hidden size (N = hidden / D heads), one panel per batch size: vanilla
# per-operation loop (grey), alternating OpenBLAS sgemm + pointwise (blue), alternating with the
# fused kernel's own SIMD R·h product (green), fused (red), and the vendor baseline oneDNN's
# LSTM primitive run per head (purple) and as one dense block-diagonal primitive (brown, N× the
# recurrent flops); both oneDNN passes also compute their input product. FlashRNN Fig. 1 analogue.
# The renderer defines `datafile` and sets the terminal; by hand:
#   gnuplot -e "datafile='results/runs/<run>/throughput.csv'; set terminal svg; set output 'x.svg'" plots/rnn/tokens-vs-head-dim.gp
if (!exists("datafile")) datafile = "throughput.csv"
set datafile separator comma
set datafile columnheaders

# The distinct batch sizes, ascending.
stats datafile using (column("batch")) nooutput
bmax = STATS_max
bv = STATS_min
batches = sprintf("%d", bv)
while (bv < bmax) {
    stats datafile using (column("batch") > bv ? column("batch") : NaN) nooutput
    bv = STATS_min
    batches = batches . sprintf(" %d", bv)
}
impls = "vanilla alternating alternating-simd fused onednn onednn-dense"
colors = "#7f7f7f #1f77b4 #2ca02c #d62728 #9467bd #8c564b"
sel(i, b, v) = (strcol("implementation") eq i && column("batch") == b) ? v : NaN

set multiplot layout 1, words(batches) title "LSTM forward throughput vs head dim (hidden size fixed)" font ",13"
set logscale xy
set xlabel "head dim D"
set ylabel "tokens / s"
set format y "10^{%L}"
set xtics (16, 32, 64, 128, 256)
set xrange [12:340]
set grid lc rgb "#dddddd"
set key bottom left font ",9"
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
do for [j = 1:words(batches)] {
    b = real(word(batches, j))
    set title sprintf("B = %s", word(batches, j))
    plot for [i = 1:words(impls)] datafile using (sel(word(impls, i), b, column("head_dim"))):(sel(word(impls, i), b, column("tokens_per_second"))) \
             with lines lw 2 lc rgb word(colors, i) title word(impls, i), \
         for [i = 1:words(impls)] datafile using (sel(word(impls, i), b, column("head_dim"))):(sel(word(impls, i), b, column("tokens_per_second"))):(column("ci_lower")):(column("ci_upper")) \
             with yerrorbars pt 7 ps 0.6 lc rgb word(colors, i) notitle
}
unset multiplot
