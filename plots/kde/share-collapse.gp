# Largest term's share of the kernel sum, max_i K_i / Σ K_i, averaged over queries and samples,
# against h/h_G(alpha) (Biroli & Mézard 2024): one curve per (d, alpha), coloured by d. Theory: the
# share rises from 0 to 1 as h falls through h_G (mu = 1, the vertical line); h_CLT = √2 h_G dotted.
# The renderer defines `datafile` and sets the terminal; by hand:
#   gnuplot -e "datafile='results/runs/<run>/points.csv'; set terminal svg; set output 'x.svg'" plots/kde/share-collapse.gp
if (!exists("datafile")) datafile = "points.csv"
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
stats datafile using (column("alpha")) nooutput
amax = STATS_max
av = STATS_min
alphas = sprintf("%.10g", av)
while (av < amax) {
    stats datafile using (column("alpha") > av + 1e-12 ? column("alpha") : NaN) nooutput
    av = STATS_min
    alphas = alphas . sprintf(" %.10g", av)
}
colors = "#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd"
series(d, a, value) = (column("d") == d && abs(column("alpha") - a) < 1e-9) ? value : NaN

set title "Largest-term share vs h/h_G" font ",14"
set xlabel "h / h_G(α)"
set ylabel "mean of max_i K_i / Σ_i K_i"
set logscale x
set xrange [0.45:3.1]
set xtics (0.5, 0.7, 1, 1.41, 2, 2.8)
set yrange [0:1]
set grid lc rgb "#dddddd"
set key top right font ",9"
set arrow 1 from 1, graph 0 to 1, graph 1 nohead lw 1.5 lc rgb "#d62728"
set arrow 2 from sqrt(2), graph 0 to sqrt(2), graph 1 nohead lw 1.5 dt 3 lc rgb "#2ca02c"
set label 1 "h_G" at 1, graph 0.96 offset 0.5, 0 font ",10"
set label 2 "h_{CLT}" at sqrt(2), graph 0.96 offset 0.5, 0 font ",10"
plot for [i = 1:words(dims)] for [j = 1:words(alphas)] datafile \
         using (series(real(word(dims, i)), real(word(alphas, j)), column("h_over_h_g"))):(series(real(word(dims, i)), real(word(alphas, j)), column("largest_share"))) \
         with linespoints lw 1.5 pt 7 ps 0.5 lc rgb word(colors, i) title (j == 1 ? sprintf("d = %s", word(dims, i)) : "")
