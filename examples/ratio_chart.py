"""Plot every verdict as claimed / derived on a log axis (needs the [plot] extra).

    python examples/ratio_chart.py out.png
"""

import sys

import gpt4leak as gl
from gpt4leak.plots import save_ratio_chart

out = sys.argv[1] if len(sys.argv) > 1 else "gpt4leak_ratios.png"
report = gl.check_all(seed=0, samples=20_000)
print(save_ratio_chart(report, out))
