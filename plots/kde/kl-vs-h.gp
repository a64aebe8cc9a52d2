# KL(rho || rho-hat) per dimension, by Monte Carlo over held-out query points, against h/h_G(alpha):
# one panel per alpha, one curve per d, and the d → ∞ theory (black, dashed). The thresholds are
# marked: h_G (mu = 1, red) and h_CLT = √2 h_G (mu = 2, green). The paper: the KL-optimal bandwidth
# lies below h_CLT (Biroli & Mézard 2024, abstract).
# The renderer defines `datafile` and sets the terminal; by hand:
#   gnuplot -e "datafile='results/runs/<run>/points.csv'; set terminal svg; set output 'x.svg'" plots/kde/kl-vs-h.gp
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
dmin = real(word(dims, 1))
theory(a, value) = (column("d") == dmin && abs(column("alpha") - a) < 1e-9) ? value : NaN

cols = words(alphas) > 3 ? 3 : words(alphas)
rows = (words(alphas) + cols - 1) / cols
set multiplot layout rows, cols title "KL(ρ‖ρ̂)/d vs bandwidth" font ",14"
set xlabel "h / h_G(α)" font ",9"
set ylabel "KL / d" font ",9"
set logscale xy
set xrange [0.45:3.1]
set xtics (0.5, 0.7, 1, 1.41, 2, 2.8)
set grid lc rgb "#dddddd"
set key top center font ",7" spacing 0.8
set arrow 1 from 1, graph 0 to 1, graph 1 nohead lw 1.5 lc rgb "#d62728"
set arrow 2 from sqrt(2), graph 0 to sqrt(2), graph 1 nohead lw 1.5 lc rgb "#2ca02c"
do for [j = 1:words(alphas)] {
    a = real(word(alphas, j))
    set title sprintf("α = %s", word(alphas, j)) font ",10"
    plot for [i = 1:words(dims)] datafile \
             using (series(real(word(dims, i)), a, column("h_over_h_g"))):(series(real(word(dims, i)), a, column("kl_per_dimension"))) \
             with linespoints lw 1.5 pt 7 ps 0.4 lc rgb word(colors, i) title sprintf("d = %s", word(dims, i)), \
         datafile using (theory(a, column("h_over_h_g"))):(theory(a, column("kl_theory"))) with lines lw 1.5 dt 2 lc rgb "#000000" title "d → ∞"
}
unset multiplot
