"""Compare's pages: the template contexts and the rows of the compare table (matrix), and
the trend charts drawn as SVG on the server (chart)."""
