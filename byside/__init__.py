"""byside: the command-line face of the toolkit (thin: parse, call one function, render)."""
