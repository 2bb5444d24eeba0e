# gnuplot chart.gp (in this directory) -> chart.png
set terminal pngcairo size 1400,700 font 'sans,11'
set output 'chart.png'
set title "Requests per second (median of 2 x 10 s), server on 1 CPU — 2026-12-06T21:13:56Z"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.9 border -1
set boxwidth 0.9
set logscale y
set yrange [100:*]
set ylabel 'requests/s (log scale)'
set xlabel 'keep-alive, 50 connections unless said otherwise'
set grid ytics mytics
set key outside right top vertical
set xtics nomirror
set format y '%.0s%c'
plot 'chart.dat' using 2:xtic(1) title columnheader(2) lc rgb '#1f77b4', '' using 3:xtic(1) title columnheader(3) lc rgb '#6baed6'
