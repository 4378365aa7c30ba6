"""Source of notebooks/g_debates.ipynb (run: .venv/bin/python -m tools.chapters.g_debates).

Skeleton with the six labelled debate sections; the debates chapter (issue 5) fills it in.
"""

from tools.nb import code, md, notebook

cells = [
    md("""
# Debates: six development questions

The educators' guide to {cite:t}`malik2017` closes with six development questions for discussion. Each section
below quotes one, points to the evidence on each side, and suggests how to run it as a seminar.
"""),
    code("# This chapter has no parameters yet.", tags=["parameters"]),
    code("""
from livelihoods import chapter

P = chapter.start("g_debates")
""", tags=["remove-input"]),
]
for n in range(1, 7):
    cells += [
        md(f"""
(debate-d{n})=
## Development question {n}
"""),
        code(f'chapter.question("D{n}")', tags=["remove-input"]),
    ]

if __name__ == "__main__":
    print(notebook("notebooks/g_debates.ipynb", cells))
