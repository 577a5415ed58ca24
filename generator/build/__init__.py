"""Build: plan, render in workers, and commit what is out of date into output/."""
