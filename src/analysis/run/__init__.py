"""Running the book: re-executing the chapters (refresh) and the command line. The top layer:
it may import everything below, nothing imports it."""
