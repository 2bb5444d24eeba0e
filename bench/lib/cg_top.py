#!/usr/bin/env python3
"""callgrind_annotate's function list on stdin -> the first TOP entries as
"share  Ir/request  function  [object]".

    callgrind_annotate callgrind.out | cg_top.py REQUESTS TOP
"""
import os
import re
import sys

n, top = int(sys.argv[1]), int(sys.argv[2])
on, shown = False, 0
print("%7s %8s  function  [object]" % ("share", "Ir/req"))
for line in sys.stdin:
    if "file:function" in line:
        on = True
        continue
    m = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)$", line)
    if not on or not m or shown >= top:
        continue
    cost, pct, rest = int(m.group(1).replace(",", "")), m.group(2), m.group(3)
    obj = ""
    o = re.search(r" \[(.*)\]$", rest)
    if o:
        obj, rest = os.path.basename(o.group(1)), rest[:o.start()]
    fn = rest.split(":", 1)[1] if ":" in rest else rest
    if len(fn) > 110:
        fn = fn[:107] + "..."
    print("%6s%% %8.0f  %s  [%s]" % (pct, cost / n, fn, obj))
    shown += 1
