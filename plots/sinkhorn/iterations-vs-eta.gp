# Iterations to reach the target error vs inverse regularisation eta, Sinkhorn against
# Sinkhorn-Newton-Sparse, one panel per case, for the largest n in the run (Tang et al. 2024,
# Table 1). Open symbols: the run stopped at its iteration cap without reaching the target.
if (!exists("datafile")) datafile = "iterations_vs_eta.csv"
set datafile separator comma
set datafile columnheaders

stats datafile using (column("n")) nooutput
nmax = STATS_max
cases = "random-assignment point-clouds densities-w1 densities-w2"

pick(c, m, done, value) = (strcol("case") eq c && strcol("method") eq m && column("n") == nmax && column("converged") == done) ? value : NaN
series(c, m, value) = (strcol("case") eq c && strcol("method") eq m && column("n") == nmax) ? value : NaN

set multiplot layout 2,2 title sprintf("Iterations to reach the target vs η (n = %d)", nmax) font ",14"
set logscale xy
set xlabel "η (inverse regularisation)"
set ylabel "iterations"
set grid lc rgb "#dddddd"
set key top left
set offsets graph 0.05, graph 0.05, 0, 0
do for [i = 1:words(cases)] {
    c = word(cases, i)
    set title sprintf("%s", c)
    plot datafile using (series(c, "sinkhorn", column("eta"))):(series(c, "sinkhorn", column("iterations"))) with lines lw 2 lc rgb "#1f77b4" notitle, \
         datafile using (pick(c, "sinkhorn", 1, column("eta"))):(pick(c, "sinkhorn", 1, column("iterations"))) with points pt 7 ps 1 lc rgb "#1f77b4" title "Sinkhorn", \
         datafile using (pick(c, "sinkhorn", 0, column("eta"))):(pick(c, "sinkhorn", 0, column("iterations"))) with points pt 6 ps 1.2 lc rgb "#1f77b4" title "Sinkhorn (capped)", \
         datafile using (series(c, "sns", column("eta"))):(series(c, "sns", column("iterations"))) with lines lw 2 lc rgb "#d62728" notitle, \
         datafile using (pick(c, "sns", 1, column("eta"))):(pick(c, "sns", 1, column("iterations"))) with points pt 5 ps 1 lc rgb "#d62728" title "SNS", \
         datafile using (pick(c, "sns", 0, column("eta"))):(pick(c, "sns", 0, column("iterations"))) with points pt 4 ps 1.2 lc rgb "#d62728" title "SNS (not converged)"
}
unset multiplot
