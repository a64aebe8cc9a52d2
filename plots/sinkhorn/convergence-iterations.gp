# Marginal error vs iteration, Sinkhorn against Sinkhorn-Newton-Sparse, one panel per case
# (Tang et al. 2024, Fig. 1-3). Drawn at each case's smallest n and the run's largest eta, where the
# claims are judged (n = 500, eta = 1200 in the default preset, the paper's Table 1 configuration;
# the image cases are always n = 784).
# The renderer defines `datafile` and sets the terminal; by hand:
#   gnuplot -e "datafile='results/runs/<run>/convergence.csv'; set terminal svg; set output 'x.svg'" plots/sinkhorn/convergence-iterations.gp
if (!exists("datafile")) datafile = "convergence.csv"
set datafile separator comma
set datafile columnheaders

stats datafile using (column("eta")) nooutput
etamax = STATS_max
# The cases present in the run, in suite order (a panel per case; the image cases only when run).
allcases = "random-assignment point-clouds densities-w1 densities-w2 fashion-mnist-l1 fashion-mnist-l2"
cases = ""
do for [i = 1:words(allcases)] {
    stats datafile using (strcol("case") eq word(allcases, i) ? 1 : 0) nooutput
    if (STATS_sum > 0) { cases = cases . " " . word(allcases, i) }
}
columns = words(cases) > 4 ? 3 : 2

pick(c, m, value) = (strcol("case") eq c && strcol("method") eq m && column("n") == nmin && column("eta") == etamax) ? value : NaN

set multiplot layout 2,columns title sprintf("Marginal error vs iteration (η = %g)", etamax) font ",14"
set logscale xy
set format y "10^{%L}"
set xlabel "iteration + 1"
set ylabel "‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁"
set grid lc rgb "#dddddd"
set key top right
do for [i = 1:words(cases)] {
    c = word(cases, i)
    stats datafile using (strcol("case") eq c ? column("n") : 1e9) nooutput
    nmin = STATS_min
    set title sprintf("%s, n = %d", c, nmin)
    plot datafile using (pick(c, "sinkhorn", column("iteration") + 1)):(pick(c, "sinkhorn", column("error"))) \
             with lines lw 2 lc rgb "#1f77b4" title "Sinkhorn", \
         datafile using (pick(c, "sns", column("iteration") + 1)):(pick(c, "sns", column("error"))) \
             with linespoints lw 2 pt 7 ps 0.5 lc rgb "#d62728" title "SNS"
}
unset multiplot
