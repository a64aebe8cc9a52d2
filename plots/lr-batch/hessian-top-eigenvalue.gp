# Top eigenvalue of the batch Hessian vs batch size at initialisation, one panel per model:
# measured (mean over batches, ~95% intervals, Lanczos on finite-difference Hessian-vector
# products) against the spiked-model theorem of Granziol et al. (2020, Sec. 4),
# lambda'_1 = lambda_1 + psi sigma^2/lambda_1 (psi sigma^2 = P sigma^2 (1/B - 1/N)), or
# 2 sqrt(psi) sigma below the outlier threshold; grey: the full-data Hessian's lambda_1.
# The renderer defines `datafile` and sets the terminal; by hand:
#   gnuplot -e "datafile='results/runs/<run>/hessian.csv'; set terminal svg; set output 'x.svg'" plots/lr-batch/hessian-top-eigenvalue.gp
if (!exists("datafile")) datafile = "hessian.csv"
set datafile separator comma
set datafile columnheaders

# The models present in this run, in a fixed order (a preset may run only some of them).
models = ""
do for [m in "mlp mlp-softplus logistic fashion-mnist"] {
    stats datafile using (strcol("model") eq m ? 1 : 0) nooutput
    if (STATS_sum > 0) { models = models . " " . m }
}
series(m, value) = strcol("model") eq m ? value : NaN

set multiplot layout 1,words(models) title "Top eigenvalue of the batch Hessian vs batch size" font ",14"
set logscale xy
set xlabel "batch size B"
set ylabel "top eigenvalue"
set grid lc rgb "#dddddd"
set key top right font ",9" spacing 0.9
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
do for [i = 1:words(models)] {
    m = word(models, i)
    set title m
    plot datafile using (series(m, column("batch_size"))):(column("top_eigenvalue")):(column("ci_lower")):(column("ci_upper")) \
             with yerrorbars pt 7 ps 0.7 lc rgb "#1f77b4" title "measured (batch)", \
         datafile using (series(m, column("batch_size"))):(column("top_eigenvalue")) with lines lw 1 lc rgb "#1f77b4" notitle, \
         datafile using (series(m, column("batch_size"))):(column("predicted")) with lines lw 2 dt 2 lc rgb "#d62728" title "theory (Sec. 4)", \
         datafile using (series(m, column("batch_size"))):(column("full")) with lines lw 1 lc rgb "#777777" title "full-data λ_1"
}
unset multiplot
