"""`gongyou eval`, one concern per module.

command (flags, gates, the entry point) → datasets (question sets) → cache (the index they run on) →
run (one row per question, judged by judge) → summary (metrics.json) → report (report.md, plots);
metrics holds the rate and ranking functions, plots the PNGs, errors the suite's GongyouErrors.
"""
