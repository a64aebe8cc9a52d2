# Speedup of the fused LSTM forward pass vs batch size B, per-pair time ratios measured side by
# side (median, ~95% interval bars), one line per head dim: left over the vanilla per-operation
# loop (the paper's "vanilla PyTorch" comparison), middle over the alternating OpenBLAS sgemm +
# pointwise pass, third over the alternating pass with the fused kernel's own SIMD R·h product;
# bottom row over oneDNN's LSTM primitive run per head and as one dense block-diagonal primitive
# (the vendor baseline; panels stay empty when the run's cell has no oneDNN counterpart).
# The renderer defines `datafile` and sets the terminal; by hand:
#   gnuplot -e "datafile='results/runs/<run>/speedup_by_batch.csv'; set terminal svg; set output 'x.svg'" plots/rnn/speedup-vs-batch.gp
if (!exists("datafile")) datafile = "speedup_by_batch.csv"
set datafile separator comma
set datafile columnheaders

stats datafile using (column("head_dim")) nooutput
dmax = STATS_max
dv = STATS_min
dims = sprintf("%d", dv)
while (dv < dmax) {
    stats datafile using (column("head_dim") > dv ? column("head_dim") : NaN) nooutput
    dv = STATS_min
    dims = dims . sprintf(" %d", dv)
}
# Rows of implementation "fused" carry the ratio over vanilla, rows of "alternating", "alternating-simd",
# "onednn" and "onednn-dense" fused's ratio over them.
sel(i, d, v) = (strcol("implementation") eq i && column("head_dim") == d) ? v : NaN

set multiplot layout 2, 3 title "Fused LSTM speedup vs batch size" font ",13"
set logscale xy
set xlabel "batch B"
set grid lc rgb "#dddddd"
set key top right font ",9"
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
set format y "%g"
set xrange [0.7:50]
panels = "fused alternating alternating-simd onednn onednn-dense"
titles = "'fused / vanilla' 'fused / alternating (OpenBLAS)' 'fused / alternating (same SIMD R·h)' 'fused / oneDNN per head' 'fused / oneDNN dense'"
do for [p = 1:words(panels)] {
    impl = word(panels, p)
    set title word(titles, p)
    set ylabel "speedup (x)"
    plot for [j = 1:words(dims)] datafile using (sel(impl, real(word(dims, j)), column("batch"))):(sel(impl, real(word(dims, j)), column("speedup"))) \
             with lines lw 2 lc j title sprintf("D = %s", word(dims, j)), \
         for [j = 1:words(dims)] datafile using (sel(impl, real(word(dims, j)), column("batch"))):(sel(impl, real(word(dims, j)), column("speedup"))):(column("speedup_lower")):(column("speedup_upper")) \
             with yerrorbars pt 7 ps 0.6 lc j notitle, \
         1 with lines lc rgb "#444444" dt 2 notitle
}
unset multiplot
