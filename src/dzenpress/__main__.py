"""`python -m dzenpress`: the same as the `dzenpress` command."""

from dzenpress.entry import main

main()
