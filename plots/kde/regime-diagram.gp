# Regime diagram in the (alpha, h) plane (Biroli & Mézard 2024, the Gaussian case): the theory's
# h_CLT(alpha) (mu = 2) and h_G(alpha) (mu = 1) from the root of alpha = mu Λ'(mu) − Λ(mu), the
# large-d KL optimum h_KL(alpha) dashed, and the regime measured at each grid point, one panel per d:
# extreme-value (largest term >= 1/2 of the sum), alpha-stable (excess kurtosis of rho-hat across
# replicates >= 1), CLT otherwise. The theory curves come from theory.csv next to the data file.
# The renderer defines `datafile` and sets the terminal; by hand:
#   gnuplot -e "datafile='results/runs/<run>/points.csv'; set terminal svg; set output 'x.svg'" plots/kde/regime-diagram.gp
if (!exists("datafile")) datafile = "points.csv"
theoryfile = datafile[1:strlen(datafile) - strlen("points.csv")] . "theory.csv"
set datafile separator comma
set datafile columnheaders

stats datafile using (column("d")) nooutput
dmax = STATS_max
dv = STATS_min
dims = sprintf("%d", dv)
while (dv < dmax) {
    stats datafile using (column("d") > dv ? column("d") : NaN) nooutput
    dv = STATS_min
    dims = dims . sprintf(" %d", dv)
}

at(d, code, value) = (column("d") == d && column("regime_code") == code) ? value : NaN

set multiplot layout 1, words(dims) title "Measured regime vs theory" font ",14"
set xlabel "α = log(n)/d"
set ylabel "bandwidth h"
set logscale y
set grid lc rgb "#dddddd"
set key bottom left font ",8" spacing 0.9 opaque
set offsets graph 0.05, graph 0.05, 0, 0
set yrange [0.25:3.2]
set ytics (0.3, 0.5, 0.7, 1, 1.5, 2, 3)
do for [i = 1:words(dims)] {
    d = real(word(dims, i))
    set title sprintf("d = %d", d)
    plot theoryfile using (column("alpha")):(column("h_clt")) with lines lw 2 lc rgb "#2ca02c" title "h_{CLT} (μ = 2)", \
         theoryfile using (column("alpha")):(column("h_g")) with lines lw 2 lc rgb "#d62728" title "h_G (μ = 1)", \
         theoryfile using (column("alpha")):(column("h_kl")) with lines lw 1.5 dt 2 lc rgb "#555555" title "h_{KL}, d → ∞", \
         datafile using (at(d, 0, column("alpha"))):(at(d, 0, column("h"))) with points pt 7 ps 0.7 lc rgb "#2ca02c" title "CLT", \
         datafile using (at(d, 1, column("alpha"))):(at(d, 1, column("h"))) with points pt 9 ps 0.8 lc rgb "#ff7f0e" title "α-stable", \
         datafile using (at(d, 2, column("alpha"))):(at(d, 2, column("h"))) with points pt 5 ps 0.7 lc rgb "#d62728" title "extreme value"
}
unset multiplot
