# Maximal stable learning rate vs batch size, log-log, one panel per model (Granziol et al.
# 2020, Sec. 5-6; their Fig. 7-8 sweep B on VGG/CIFAR-100). Points: geometric mean over seeds
# with ~95% intervals (cells with no value are left out); solid: the saturating law
# c*(B/(B+B*))^alpha with the seeds' mean fitted alpha (title), B* and c; dash-dot blue: SGD's
# branch-correct prediction 1/lambda'_1 scaled to that law's plateau (our extrapolation of the
# Sec. 4 theorem); dashed grey: slope 1, dotted grey: slope 1/2, both through the smallest B.
# The renderer defines `datafile` and sets the terminal; by hand:
#   gnuplot -e "datafile='results/runs/<run>/lr_max.csv'; set terminal svg; set output 'x.svg'" plots/lr-batch/lr-max-vs-batch.gp
if (!exists("datafile")) datafile = "lr_max.csv"
set datafile separator comma
set datafile columnheaders

# The models present in this run, in a fixed order (a preset may run only some of them).
models = ""
do for [m in "mlp mlp-softplus logistic fashion-mnist"] {
    stats datafile using (strcol("model") eq m ? 1 : 0) nooutput
    if (STATS_sum > 0) { models = models . " " . m }
}
optimizers = "sgd adam"
colors = "#1f77b4 #d62728"
series(m, o, value) = (strcol("model") eq m && strcol("optimizer") eq o) ? value : NaN

set multiplot layout 1,words(models) title "Maximal stable learning rate vs batch size" font ",14"
set logscale xy
set xlabel "batch size B"
set ylabel "lr_{max}"
set format y "10^{%L}"
set grid lc rgb "#dddddd"
set key top left font ",9" spacing 0.9
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
do for [i = 1:words(models)] {
    m = word(models, i)
    # Slopes and the anchor (smallest B) of each optimiser's reference lines.
    # An exponent that is not measurable (NaN in every row) leaves STATS_mean undefined.
    undefine STATS_*
    stats datafile using (series(m, "sgd", column("slope"))) nooutput
    sgd_slope = exists("STATS_mean") ? STATS_mean : NaN
    undefine STATS_*
    stats datafile using (series(m, "adam", column("slope"))) nooutput
    adam_slope = exists("STATS_mean") ? STATS_mean : NaN
    stats datafile using (column("batch_size")) nooutput
    b0 = STATS_min
    stats datafile using (series(m, "sgd", column("batch_size") == b0 ? column("lr_max") : NaN)) nooutput
    sgd0 = STATS_mean
    stats datafile using (series(m, "adam", column("batch_size") == b0 ? column("lr_max") : NaN)) nooutput
    adam0 = STATS_mean
    set title sprintf("%s: fitted alpha SGD %.2f, Adam %.2f", m, sgd_slope, adam_slope)
    plot datafile using (series(m, "sgd", column("batch_size"))):(column("lr_max")):(column("ci_lower")):(column("ci_upper")) \
             with yerrorbars pt 7 ps 0.7 lc rgb word(colors, 1) title "SGD", \
         datafile using (series(m, "sgd", column("batch_size"))):(column("fit")) with lines lw 2 lc rgb word(colors, 1) notitle, \
         datafile using (series(m, "sgd", column("batch_size"))):(column("predicted")) with lines dt 4 lw 1.5 lc rgb word(colors, 1) title "SGD, 1/{/Symbol l}'_1", \
         datafile using (series(m, "adam", column("batch_size"))):(column("lr_max")):(column("ci_lower")):(column("ci_upper")) \
             with yerrorbars pt 5 ps 0.7 lc rgb word(colors, 2) title "Adam", \
         datafile using (series(m, "adam", column("batch_size"))):(column("fit")) with lines lw 2 lc rgb word(colors, 2) notitle, \
         datafile using (series(m, "sgd", column("batch_size"))):(sgd0 * column("batch_size") / b0) with lines dt 2 lc rgb "#777777" title "slope 1", \
         datafile using (series(m, "adam", column("batch_size"))):(adam0 * sqrt(column("batch_size") / b0)) with lines dt 3 lw 2 lc rgb "#777777" title "slope 1/2"
}
unset multiplot
