# Fraction of the machine's limit reached by the fused LSTM forward pass vs head dim, one line
# per batch size. The limit for a shape is max(recurrent flops / sgemm peak, bytes / read
# bandwidth), both measured at the start of the same run; filled symbols: compute-bound shapes,
# open symbols: memory-bound. 1 = at the limit.
# The renderer defines `datafile` and sets the terminal; by hand:
#   gnuplot -e "datafile='results/runs/<run>/throughput.csv'; set terminal svg; set output 'x.svg'" plots/rnn/fraction-of-limit.gp
if (!exists("datafile")) datafile = "throughput.csv"
set datafile separator comma
set datafile columnheaders

stats datafile using (column("batch")) nooutput
bmax = STATS_max
bv = STATS_min
batches = sprintf("%d", bv)
while (bv < bmax) {
    stats datafile using (column("batch") > bv ? column("batch") : NaN) nooutput
    bv = STATS_min
    batches = batches . sprintf(" %d", bv)
}
sel(b, v) = (strcol("implementation") eq "fused" && column("batch") == b) ? v : NaN
selb(b, kind, v) = (strcol("implementation") eq "fused" && column("batch") == b && strcol("bound") eq kind) ? v : NaN

set title "Fused LSTM forward: fraction of the machine limit" font ",13"
set logscale x
set logscale y
set xlabel "head dim D"
set ylabel "limit time / measured time"
set xtics (16, 32, 64, 128, 256)
set xrange [12:340]
set grid lc rgb "#dddddd"
set key top left font ",9"
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
plot for [j = 1:words(batches)] datafile using (sel(real(word(batches, j)), column("head_dim"))):(sel(real(word(batches, j)), column("fraction_of_limit"))) \
         with lines lw 2 lc j title sprintf("B = %s", word(batches, j)), \
     for [j = 1:words(batches)] datafile using (selb(real(word(batches, j)), "compute", column("head_dim"))):(selb(real(word(batches, j)), "compute", column("fraction_of_limit"))) \
         with points pt 7 ps 0.9 lc j notitle, \
     for [j = 1:words(batches)] datafile using (selb(real(word(batches, j)), "memory", column("head_dim"))):(selb(real(word(batches, j)), "memory", column("fraction_of_limit"))) \
         with points pt 6 ps 1.1 lc j notitle
