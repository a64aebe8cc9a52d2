# Iterations to reach the target error vs inverse regularisation eta, Sinkhorn (blue) against
# Sinkhorn-Newton-Sparse (red), one panel per case and one dash pattern per n (Tang et al. 2024,
# Table 1 sweeps eta at one n). A ring around a symbol: the run stopped at its iteration cap (Sinkhorn) or
# Newton limit (SNS) without reaching the target, so the true count is higher.
# The renderer defines `datafile` and sets the terminal; by hand:
#   gnuplot -e "datafile='results/runs/<run>/iterations_vs_eta.csv'; set terminal svg; set output 'x.svg'" plots/sinkhorn/iterations-vs-eta.gp
if (!exists("datafile")) datafile = "iterations_vs_eta.csv"
set datafile separator comma
set datafile columnheaders

# The cases present in the run, in suite order (a panel per case; the image cases only when run).
allcases = "random-assignment point-clouds densities-w1 densities-w2 fashion-mnist-l1 fashion-mnist-l2"
cases = ""
do for [i = 1:words(allcases)] {
    stats datafile using (strcol("case") eq word(allcases, i) ? 1 : 0) nooutput
    if (STATS_sum > 0) { cases = cases . " " . word(allcases, i) }
}
columns = words(cases) > 4 ? 3 : 2

series(c, m, n, value) = (strcol("case") eq c && strcol("method") eq m && column("n") == n) ? value : NaN
capped(c, m, n, value) = (strcol("case") eq c && strcol("method") eq m && column("n") == n && column("converged") == 0) ? value : NaN

set multiplot layout 2,columns title "Iterations to reach the target vs η" font ",14"
set logscale xy
set xlabel "η (inverse regularisation)"
set ylabel "iterations"
set format y "10^{%L}"
set grid lc rgb "#dddddd"
set key top left font ",9" spacing 0.9
set autoscale xfix
set offsets graph 0.08, graph 0.08, graph 0.05, graph 0.05
do for [i = 1:words(cases)] {
    c = word(cases, i)
    # The case's distinct sizes, ascending: each pass finds the smallest n above the last one.
    stats datafile using (strcol("case") eq c ? column("n") : NaN) nooutput
    nmax = STATS_max
    nv = STATS_min
    sizes = sprintf("%d", nv)
    while (nv < nmax) {
        stats datafile using (strcol("case") eq c && column("n") > nv ? column("n") : NaN) nooutput
        nv = STATS_min
        sizes = sizes . sprintf(" %d", nv)
    }
    set title sprintf("%s", c)
    plot for [j = 1:words(sizes)] datafile \
             using (series(c, "sinkhorn", real(word(sizes, j)), column("eta"))):(series(c, "sinkhorn", real(word(sizes, j)), column("iterations"))) \
             with linespoints lw 2 dt j pt 7 ps 0.7 lc rgb "#1f77b4" title sprintf("Sinkhorn, n = %s", word(sizes, j)), \
         for [j = 1:words(sizes)] datafile \
             using (series(c, "sns", real(word(sizes, j)), column("eta"))):(series(c, "sns", real(word(sizes, j)), column("iterations"))) \
             with linespoints lw 2 dt j pt 5 ps 0.7 lc rgb "#d62728" title sprintf("SNS, n = %s", word(sizes, j)), \
         for [j = 1:words(sizes)] datafile \
             using (capped(c, "sinkhorn", real(word(sizes, j)), column("eta"))):(capped(c, "sinkhorn", real(word(sizes, j)), column("iterations"))) \
             with points pt 6 ps 1.6 lc rgb "#1f77b4" notitle, \
         for [j = 1:words(sizes)] datafile \
             using (capped(c, "sns", real(word(sizes, j)), column("eta"))):(capped(c, "sns", real(word(sizes, j)), column("iterations"))) \
             with points pt 4 ps 1.6 lc rgb "#d62728" notitle
}
unset multiplot
