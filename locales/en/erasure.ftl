## Erasure (/forgetme): shown where the citizen's own words or photos were (report.erasedAt is set)
report-erased = 🗑 removed at the citizen's request
