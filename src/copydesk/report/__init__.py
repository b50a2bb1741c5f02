"""Showing results to people: the terminal (rich) and the HTML report."""
