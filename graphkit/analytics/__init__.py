"""Graph analytics with networkx, written back to the graph."""
